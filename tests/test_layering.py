"""The core stays pure: importing it loads no storage, UI or I/O-heavy library."""

import subprocess
import sys

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
    graph = _imports_of_srs()
    done: set[str] = set()

    def circle_from(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return path[path.index(module) :] + [module]
        if module in done:
            return None
        for imported in sorted(graph[module]):
            found = circle_from(imported, [*path, module])
            if found:
                return found
        done.add(module)
        return None

    for module in sorted(graph):
        circle = circle_from(module, [])
        assert circle is None, " -> ".join(circle)


def test_the_app_reaches_the_database_only_through_the_service():
    graph = _imports_of_srs()
    direct = {m: sorted(i for i in imported if i.startswith("srs.storage")) for m, imported in graph.items()}
    assert {m: i for m, i in direct.items() if m.startswith("srs.tui") and i} == {}
