"""Shared fixtures: run the real ``brightline`` CLI (in-process or as a process), write JSONL inputs, screen the demo.

Keep this file small; fixtures used by one test module belong in that module.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = REPO_ROOT / "examples"


@dataclass
class CliRun:
    """What a ``brightline`` invocation left behind."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def records(self) -> list[dict[str, Any]]:
        """stdout parsed as JSON Lines (decisions and error records)."""
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]


def run_brightline(
    *args: str | Path,
    stdin: bytes | None = None,
    cwd: str | Path | None = None,
    address_space: int | None = None,
    timeout: float = 300,
) -> CliRun:
    """Run ``python -m brightline ARGS`` as a user would, optionally under an address-space limit (bytes)."""

    def limit() -> None:  # runs in the child just before exec
        if address_space is not None:
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))

    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "brightline", *map(str, args)],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        cwd=cwd or REPO_ROOT,
        env=env,
        timeout=timeout,
        preexec_fn=limit if address_space is not None else None,
    )
    return CliRun(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8", errors="replace"))


def invoke_brightline(*args: str | Path, stdin: bytes | None = None, cwd: str | Path | None = None) -> CliRun:
    """Run the CLI in this process (typer's CliRunner): the same code path without paying start-up per call.

    An unexpected exception is re-raised so a crash fails the test instead of hiding in an exit code.
    """
    from typer.testing import CliRunner

    from brightline.cli import app

    old_cwd = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = CliRunner().invoke(app, [str(a) for a in args], input=stdin)
    finally:
        os.chdir(old_cwd)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return CliRun(result.exit_code, result.stdout, result.stderr)


@pytest.fixture(scope="session")
def brightline() -> Callable[..., CliRun]:
    """The CLI, in-process: ``brightline("screen", path, "-q")``."""
    return invoke_brightline


@pytest.fixture(scope="session")
def brightline_process() -> Callable[..., CliRun]:
    """The CLI as a separate process (real stdin pipe, resource limits): ``brightline_process("screen", ...)``."""
    return run_brightline


@pytest.fixture
def jsonl_file(tmp_path: Path) -> Callable[..., Path]:
    """Write lines to a file: dicts as JSON, str and bytes verbatim. ``jsonl_file(lines, name="in.jsonl")``."""

    def write(lines: Iterable[dict[str, Any] | str | bytes], name: str = "in.jsonl") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            for line in lines:
                if isinstance(line, dict):
                    line = json.dumps(line, ensure_ascii=False)
                fh.write(line if isinstance(line, bytes) else line.encode("utf-8"))
                fh.write(b"\n")
        return path

    return write


@pytest.fixture(scope="session")
def emitted_detectors() -> frozenset[str]:
    """Detector names (``diversion.contact``, ``aigc``...) the detectors present in this tree can emit."""
    from brightline.detectors import discover

    return frozenset(name for cls in discover().values() for name in getattr(cls, "emits", ()))


@pytest.fixture(scope="session")
def screened_demo() -> tuple[list[dict[str, Any]], list[dict[str, Any]], CliRun]:
    """``examples/demo.jsonl`` screened once through the CLI: (input items, output records, the run)."""
    items = [json.loads(line) for line in (EXAMPLES / "demo.jsonl").read_text(encoding="utf-8").splitlines()]
    run = run_brightline("screen", EXAMPLES / "demo.jsonl", "--quiet")
    return items, run.records, run
