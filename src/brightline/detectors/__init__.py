"""Detector discovery: every ``Detector`` subclass defined in a module of this package."""

from __future__ import annotations

import importlib
import pkgutil

from brightline.detectors.base import Detector, ScreenContext


def discover() -> dict[str, type[Detector]]:
    """Return ``{family: class}`` for all detector classes in ``brightline.detectors``, sorted by family."""
    found: dict[str, type[Detector]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name == "base" or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, Detector)
                and obj is not Detector
                and obj.__module__ == module.__name__
                and getattr(obj, "family", None)
            ):
                if obj.family in found and found[obj.family] is not obj:
                    raise RuntimeError(f"two detectors claim family {obj.family!r}: {found[obj.family]} and {obj}")
                found[obj.family] = obj
    return dict(sorted(found.items()))


__all__ = ["Detector", "ScreenContext", "discover"]
