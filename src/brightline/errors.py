"""Typed errors with messages a user can act on."""

from __future__ import annotations

from pathlib import Path


class BrightlineError(Exception):
    """Base class of every error brightline raises on purpose."""


class RegistryError(BrightlineError):
    """An operator data file (lexicon, entities, claims) is malformed. Names the file and line."""

    def __init__(self, path: str | Path, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class PolicyError(BrightlineError):
    """A policy pack is malformed: unknown detector, bad verdict, broken YAML. Names the file and rule."""


class InputError(BrightlineError):
    """An input item cannot be processed (bad JSON, wrong type, too large)."""
