"""brightline's command line. Each module in this package registers its own commands on ``app``."""

from __future__ import annotations

import importlib
import pkgutil

from brightline.cli.app import app


def _load_commands() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name not in ("app",) and not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")


_load_commands()


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "main"]
