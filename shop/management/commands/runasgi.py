"""`runasgi`: the whole project under uvicorn (ASGI), for `make run`, so one process serves the
pages and the live cart streams (`/events/`) alike; it reloads when a Python file changes and
ends its start-up output with the shop's address, plainly."""

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand
from uvicorn.supervisors import ChangeReload

# Listening on every interface is reached, from this machine, at the loopback address.
_ANY_ADDRESS = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}
# Folders whose Python files a change of restarts the server (not .venv: too many to watch).
_WATCHED = ("config", "shop", "catalog", "inventory", "cart", "checkout", "recovery", "storefront")


class _Server(uvicorn.Server):
    async def startup(self, sockets=None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            host = _ANY_ADDRESS.get(self.config.host, self.config.host)
            print(f"\nOpen http://{host}:{self.config.port}", flush=True)


class Command(BaseCommand):
    help = "Serve the project with uvicorn (pages and live streams) for development."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--noreload", action="store_false", dest="reload")

    def handle(self, *args, addrport: str, reload: bool, **options):
        host, _sep, port = addrport.rpartition(":")
        watched = [str(settings.BASE_DIR / name) for name in _WATCHED]
        config = uvicorn.Config(
            "config.asgi:application",
            host=host or "127.0.0.1",
            port=int(port),
            lifespan="off",
            reload=reload,
            reload_dirs=watched if reload else None,
            # Streams end at once on a restart (see shop/live.py); nothing else waits long.
            timeout_graceful_shutdown=5,
        )
        server = _Server(config)
        if config.should_reload:
            ChangeReload(config, target=server.run, sockets=[config.bind_socket()]).run()
        else:
            server.run()
