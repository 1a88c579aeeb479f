"""Entry point that mkdocs-macros looks for. All the work is in the `macros` package."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# `mkdocs serve` re-runs this file on every rebuild; drop the cached package so an
# edit to macros/*.py is picked up without restarting the server.
for _name in [n for n in sys.modules if n == "macros" or n.startswith("macros.")]:
    del sys.modules[_name]

try:
    from macros.adapter import define_env  # noqa: F401
except ImportError as exc:  # mkdocs-macros would hide an ImportError as "no module main"
    raise RuntimeError(f"main.py could not import the macros package: {exc}") from exc
