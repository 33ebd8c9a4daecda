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
