"""`runserver` (whitenoise's, which lets whitenoise serve static files) that ends its start-up
output with the shop's address, plainly, so `make run` users know where to click."""

from whitenoise.runserver_nostatic.management.commands.runserver import (
    Command as WhiteNoiseRunserverCommand,
)

# Listening on every interface is reached, from this machine, at the loopback address.
_ANY_ADDRESS = {"0": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "[::1]"}


class Command(WhiteNoiseRunserverCommand):
    def on_bind(self, server_port):
        super().on_bind(server_port)
        host = _ANY_ADDRESS.get(self.addr, f"[{self.addr}]" if self._raw_ipv6 else self.addr)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Open {self.protocol}://{host}:{server_port}"))
