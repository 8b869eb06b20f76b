"""Implicit-label writers: put the platform's propagation elements into a file's GB 45438 record.

Measures Art. 6 (last paragraph) asks a propagation platform to add "传播平台名称或者编码、内容编号等传播要素信息"
to the file metadata; GB 45438 6.1 c) allows one record per file. So a writer:

* finds the existing record in its container and sets only ``ContentPropagator`` and ``PropagateID`` in it,
  keeping every producer field, its key spelling (``ReserveCode1`` stays misspelt), its order and its
  wrapped/bare form — in place, never as a second record;
* or, when the file has none and the platform itself concludes possible/suspected AI, writes a new record
  (Annex E Note 1: at first write ``ContentPropagator`` = ``ContentProducer`` and ``PropagateID`` =
  ``ProduceID``).

One module per container (``jpeg``, ``png``, ``webp``, ``mp4``, ``wav``, ``mp3``, ``pdf``, ``markdown``); each
exposes ``FORMAT``, ``sniff(head, path)`` and ``write(src, dst, edit) -> Placement``. Output is always written
to a temporary file beside the target and renamed into place, so a failure never leaves a half-written
file and the input is never modified.
"""

from __future__ import annotations

import importlib
import json
import os
import struct
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, BinaryIO

FIELDS: tuple[str, ...] = (
    "Label", "ContentProducer", "ProduceID", "ReservedCode1", "ContentPropagator", "PropagateID", "ReservedCode2",
)
PRODUCER_FIELDS: tuple[str, ...] = ("Label", "ContentProducer", "ProduceID", "ReservedCode1")
_ALIASES = {"ReserveCode1": "ReservedCode1", "ReserveCode2": "ReservedCode2"}

#: Writer modules, tried in this order by :func:`writer_for`.
WRITER_MODULES: tuple[str, ...] = ("jpeg", "png", "webp", "mp4", "wav", "mp3", "pdf", "markdown")


class LabelWriteError(Exception):
    """The label cannot be written without damaging the file or the producer's record; nothing was written."""


@dataclass(slots=True)
class RecordEdit:
    """What to write: the platform's code and content ID, and the Label to use for a brand-new record."""

    propagator: str
    propagate_id: str
    new_label: str | None = None  # "1" | "2" | "3"; None: refuse to create a record, only update one
    #: The record the *input* file carried, for a carrier that lost it on the way (e.g. a re-encode that
    #: could not copy the metadata): it is restored with the propagator fields, never replaced by a new one.
    original: str | None = None
    seen: list[dict[str, Any]] = field(default_factory=list)

    def apply(self, existing: str | None) -> tuple[str, bool]:
        """Return ``(new_value, wrapped)`` for a carrier whose current value is ``existing`` (None: absent).

        Raises :class:`LabelWriteError` when the existing value is not a JSON object (it cannot be updated
        without touching the producer's data) or when there is none and no Label was given.
        """
        if (existing is None or not existing.strip()) and self.original:
            existing = self.original
        if existing is None or not existing.strip():
            if self.new_label is None:
                raise LabelWriteError(
                    "the file has no GB 45438 record; say which Art. 6 certainty the platform concluded "
                    "(--certainty possible|suspected|confirmed) to write a new one"
                )
            record = new_record(self.new_label, self.propagator, self.propagate_id)
            self.seen.append({})
            return dump_record(record), False
        try:
            parsed = json.loads(existing.strip().rstrip("\x00"))
        except json.JSONDecodeError as exc:
            raise LabelWriteError(f"the existing AIGC value is not valid JSON ({exc.msg}); refusing to overwrite it") from None
        if not isinstance(parsed, dict):
            raise LabelWriteError("the existing AIGC value is not a JSON object; refusing to overwrite it")
        wrapped = set(parsed) == {"AIGC"} and isinstance(parsed["AIGC"], dict)
        inner: dict[str, Any] = parsed["AIGC"] if wrapped else parsed
        self.seen.append(dict(inner))
        updated = propagate(inner, self.propagator, self.propagate_id)
        return dump_record({"AIGC": updated} if wrapped else updated), wrapped


def new_record(label: str, code: str, content_id: str) -> dict[str, str]:
    """A first-write Annex E record (Note 1: propagator elements equal the producer elements)."""
    return {
        "Label": label,
        "ContentProducer": code,
        "ProduceID": content_id,
        "ReservedCode1": "",
        "ContentPropagator": code,
        "PropagateID": content_id,
        "ReservedCode2": "",
    }


def propagate(record: dict[str, Any], code: str, content_id: str) -> dict[str, Any]:
    """Copy of ``record`` with ``ContentPropagator``/``PropagateID`` set; every other key, value and the order kept."""
    out: dict[str, Any] = {}
    pending = {"ContentPropagator": code, "PropagateID": content_id}
    for key, value in record.items():
        if _ALIASES.get(key, key) == "ReservedCode2":
            out.update(pending)  # missing propagator keys go before ReservedCode2, as in Annex E's order
            pending = {}
        if key in ("ContentPropagator", "PropagateID"):
            out[key] = code if key == "ContentPropagator" else content_id
            pending.pop(key, None)
        else:
            out[key] = value
    for key, value in pending.items():
        out.setdefault(key, value)
    return out


def dump_record(record: dict[str, Any]) -> str:
    """Compact JSON, non-ASCII kept as is (values are the producer's, not ours to re-encode)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


@dataclass(slots=True)
class Placement:
    """Where a writer put the record: ``carrier`` (e.g. ``jpeg:xmp:TC260:AIGC``), ``updated`` or added."""

    format: str
    carrier: str
    updated: bool
    notes: list[str] = field(default_factory=list)


@contextmanager
def atomic_output(target: Path) -> Iterator[BinaryIO]:
    """Yield a temporary file beside ``target``; rename it over ``target`` only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)  # mkstemp's 0600 would make labelled files unreadable to the web server
    os.close(fd)
    try:
        with open(tmp, "w+b") as fh:  # opened by path so ``fh.name`` lets the caller re-read the result
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def copy_range(src: BinaryIO, dst: BinaryIO, length: int, chunk: int = 1 << 20) -> None:
    """Stream ``length`` bytes from ``src``'s position to ``dst`` in bounded chunks."""
    while length > 0:
        data = src.read(min(chunk, length))
        if not data:
            raise LabelWriteError("file ended early while copying (truncated input)")
        dst.write(data)
        length -= len(data)


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{name}")


def writer_for(path: Path) -> ModuleType | None:
    """The writer module for this file (by magic bytes, then suffix), or None if the format is unsupported."""
    with open(path, "rb") as fh:
        head = fh.read(64)
    for name in WRITER_MODULES:
        mod = _module(name)
        if mod.sniff(head, path):
            return mod
    return None


def _record_count(path: Path) -> int:
    from brightline.media import inspect_file

    return sum(1 for r in inspect_file(path, sources=()).records if r.basis == "implicit_label")


Writer = Callable[[BinaryIO, BinaryIO, RecordEdit], Placement]


def write_implicit_label(src: Path, dst: Path, edit: RecordEdit) -> Placement:
    """Write ``src`` to ``dst`` with the GB 45438 record updated (or added) per ``edit``; atomic.

    Raises :class:`LabelWriteError` for an unsupported format or a record that cannot be updated safely.
    """
    mod = writer_for(src)
    if mod is None:
        raise LabelWriteError(f"no implicit-label writer for {src.name} (supported: {', '.join(WRITER_MODULES)})")
    before = _record_count(src)
    try:
        with open(src, "rb") as fin, atomic_output(dst) as fout:
            placement: Placement = mod.write(fin, fout, edit)
            fout.flush()
            after = _record_count(Path(fout.name))
            if after > max(before, 1):  # GB 45438 6.1 c): the reader found a record the writer did not
                raise LabelWriteError(
                    f"writing would leave {after} GB 45438 records in the file (it had {before}); a record sits "
                    "in a carrier this writer does not update, so nothing was written"
                )
    except LabelWriteError:
        raise
    except (ValueError, LookupError, OverflowError, RecursionError, EOFError, struct.error, zlib.error) as exc:
        # A structure the writer's checks did not anticipate: still this file's clear error, never a crash.
        raise LabelWriteError(f"broken {mod.FORMAT} file: {type(exc).__name__}: {exc}") from None
    return placement
