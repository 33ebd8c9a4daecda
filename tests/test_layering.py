"""The core stays pure: importing it loads no storage, UI or I/O-heavy library."""

import subprocess
import sys

import networkx as nx

import srs.core


def test_core_imports_no_storage_or_ui():
    code = (
        "import sys, pkgutil, importlib, srs.core\n"
        "for m in pkgutil.iter_modules(srs.core.__path__): importlib.import_module('srs.core.' + m.name)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'textual', 'click', 'genanki', 'rich')\n"
        "       or m.startswith(('srs.storage', 'srs.tui', 'srs.cli'))]\n"
        "print(','.join(sorted(bad)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_core_modules_do_not_read_the_clock():
    from pathlib import Path

    for path in Path(srs.core.__file__).parent.glob("*.py"):
        text = path.read_text()
        for forbidden in ("datetime.now(", "date.today(", "time.time(", "print("):
            assert forbidden not in text, f"{path.name} uses {forbidden}"


def _imports_of_srs() -> dict[str, set[str]]:
    """Every module of srs with the srs modules it imports: at the top, inside functions, or for
    the type checker alone (each is a dependency a reader has to follow)."""
    import ast
    from pathlib import Path

    top = Path(srs.__file__).parent
    modules = {}
    for path in top.rglob("*.py"):
        parts = path.relative_to(top.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        named = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                named.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    above = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*above, base] if base else above)
                named.add(base)
                named.update(f"{base}.{alias.name}" for alias in node.names)
        graph[name] = {m for m in named if m in modules and m != name}
    return graph


def test_no_module_of_srs_imports_one_that_imports_it_back():
    # Directly or through others: a circle means neither module can be read (or loaded) alone.
    graph = nx.DiGraph([(module, imported) for module, imports in _imports_of_srs().items() for imported in imports])
    assert [" -> ".join([*circle, circle[0]]) for circle in nx.simple_cycles(graph)] == []


SHARED = ("srs.errors", "srs.bulk")
"""What every layer may use: the error hierarchy and the collector pause."""

MAY_IMPORT = {
    "srs.core": ("srs.core", "srs.errors"),
    "srs.readers": ("srs.core", "srs.readers", *SHARED),
    "srs.export": ("srs.core", "srs.export", *SHARED),
    "srs.storage": ("srs.core", "srs.storage", *SHARED),
    "srs.config": ("srs.core", "srs.config", *SHARED),
    "srs.env": ("srs.core", "srs.config", "srs.readers", "srs.storage", *SHARED),
    "srs.service": (
        "srs.core",
        "srs.readers",
        "srs.export",
        "srs.storage",
        "srs.config",
        "srs.env",
        "srs.service",
        *SHARED,
    ),
    "srs.tui": ("srs.core", "srs.service", "srs.config", "srs.env", "srs.tui", *SHARED),
    # The entry point: it picks the database (`db.database_url`) and words a driver's error
    # (`db.explain`); everything else it asks of the service.
    "srs.cli": (
        "srs.core",
        "srs.readers",
        "srs.config",
        "srs.env",
        "srs.service",
        "srs.storage.db",
        "srs.tui",
        *SHARED,
    ),
    "srs.__main__": ("srs.cli",),
}
"""Each layer and what its modules may import: core <- storage <- service <- the command line and
the app, with the readers and the export formats beside storage; only the command line (which
starts the app) and the app itself import the app."""


def _within(module: str, packages) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def test_each_layer_imports_only_what_lies_below_it():
    wrong = []
    for module, imports in sorted(_imports_of_srs().items()):
        if module in ("srs", "srs.errors", "srs.bulk"):
            continue
        layer = next(p for p in MAY_IMPORT if _within(module, (p,)))
        wrong += [
            f"{module} imports {name}"
            for name in sorted(imports)
            if name != "srs" and not _within(name, MAY_IMPORT[layer])
        ]
    assert wrong == []
