"""The house rules, read from the code: every app imports only from its own floor or below,
and no module of ours imports itself round a circle (imports inside functions included)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Floors, bottom up (README, "Architecture"). Apps on one floor may import each other.
FLOORS = {
    "shop": 1,
    "catalog": 2,
    "inventory": 3,
    "cart": 4,
    "checkout": 5,
    "recovery": 6,
    "giftcards": 6,
    "loyalty": 6,
    "alerts": 6,
    "storefront": 7,
}
# The project's wiring (settings, URLs, the Celery app) is on no floor.
WIRING = "config"


def _modules() -> dict[str, Path]:
    found = {}
    for top in [*FLOORS, WIRING]:
        for path in (ROOT / top).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import of one of our modules, at any depth of the file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # `from a import b` imports a, and a.b too when b is a module.
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [(node.lineno, name) for name in names if name in MODULES]
    return found


def _app(module: str) -> str:
    return module.split(".")[0]


def test_every_app_imports_only_from_its_own_floor_or_below():
    breaches = []
    for module, path in MODULES.items():
        app = _app(module)
        if app == WIRING:
            continue
        for line, imported in _imports(path):
            target = _app(imported)
            if target == WIRING:
                if imported != "config.celery_app":
                    breaches.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
            elif FLOORS[target] > FLOORS[app]:
                breaches.append(f"{path.relative_to(ROOT)}:{line} imports {imported} (floor up)")
    assert not breaches, "\n".join(breaches)


def test_no_module_import_cycle():
    graph = {
        module: sorted({imported for _, imported in _imports(path)} - {module})
        for module, path in MODULES.items()
    }
    cycles = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for imported in graph[module]:
            if state.get(imported) == 1:
                cycles.append(" -> ".join([*path[path.index(imported) :], imported]))
            elif imported not in state:
                visit(imported)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert not cycles, "\n".join(cycles)


def test_the_floors_cover_every_app_we_install():
    from django.conf import settings

    ours = [app for app in settings.INSTALLED_APPS if (ROOT / app).is_dir()]
    assert sorted(ours) == sorted(FLOORS)
    # INSTALLED_APPS lists them bottom up, as the README does.
    assert ours == sorted(ours, key=FLOORS.get)
