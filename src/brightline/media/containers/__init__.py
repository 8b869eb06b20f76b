"""Container readers: one class per file format, sniffed by magic bytes (the python-threatexchange pattern).

A reader walks its container's structure with seeks, never reading media payloads (``mdat``, ``IDAT``,
``data``, ``movi``, audio frames), and emits :class:`Entry` objects: the raw metadata it found (an XMP packet,
a key/value text field — EXIF tags included — or a bare application blob). :mod:`brightline.media` turns entries into
provenance records, so a reader knows nothing of GB 45438, IPTC or Stable Diffusion.

To add a container: subclass :class:`ContainerReader`, set ``format`` and ``extensions``, implement
:meth:`ContainerReader.sniff` and :meth:`ContainerReader.read`, and decorate the class with :func:`register`
in a module of this package (modules here are imported automatically).
"""

from __future__ import annotations

import importlib
import io
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, ClassVar, Literal

#: What a reader found; the kind says how :mod:`brightline.media` interprets the value.
EntryKind = Literal["xmp", "text", "blob"]

MiB = 1024 * 1024


class MediaFormatError(Exception):
    """The file's structure is broken (truncated, bad length, too deep): reading stops here.

    Entries emitted before the error are kept; the message names what and where, e.g.
    ``"truncated PNG chunk at offset 1234"``.
    """


@dataclass(frozen=True)
class Limits:
    """Caps that keep memory and time bounded whatever a hostile file declares."""

    #: Largest single metadata payload read into memory (XMP packet, text chunk, comment, custom.xml).
    max_bytes: int = 16 * MiB
    #: Total metadata bytes read from one file.
    max_total_bytes: int = 64 * MiB
    #: Structures (boxes, chunks, segments, frames, blocks, pages) visited per file.
    max_items: int = 100_000
    #: Nesting depth of ISO BMFF boxes / RIFF lists.
    max_depth: int = 32
    #: OOXML: largest uncompressed/compressed ratio accepted for the part we read.
    max_zip_ratio: int = 200


@dataclass(frozen=True)
class Entry:
    """One piece of raw metadata: ``carrier`` says where it sat (``"png:tEXt"``), ``key`` its field name."""

    carrier: str
    kind: EntryKind
    key: str
    value: bytes | str


@dataclass
class ReadContext:
    """Handed to a reader: where to put entries and non-fatal errors, and the limits to respect."""

    limits: Limits
    entries: list[Entry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: A reader may refine the format it was chosen for (``"mp4"`` → ``"mov"``, ``"zip"`` → ``"docx"``).
    format: str | None = None
    _items: int = 0
    _bytes: int = 0

    def emit(self, carrier: str, kind: EntryKind, key: str, value: bytes | str) -> None:
        """Record one piece of metadata."""
        self.entries.append(Entry(carrier, kind, key, value))

    def error(self, message: str) -> None:
        """Record a non-fatal problem; reading goes on."""
        if len(self.errors) < 50:  # a file with a million bad chunks must not make a million messages
            self.errors.append(message)

    def tick(self, what: str) -> None:
        """Count one visited structure; stop the file when a hostile one has too many."""
        self._items += 1
        if self._items > self.limits.max_items:
            raise MediaFormatError(f"more than {self.limits.max_items} {what}s: giving up on this file")

    def budget(self, n: int, what: str, offset: int) -> None:
        """Check a metadata payload of ``n`` bytes against the per-item and per-file caps before reading it."""
        if n > self.limits.max_bytes:
            raise MediaFormatError(
                f"{what} at offset {offset} declares {n} bytes, above the {self.limits.max_bytes}-byte metadata cap"
            )
        self._bytes += n
        if self._bytes > self.limits.max_total_bytes:
            raise MediaFormatError(f"more than {self.limits.max_total_bytes} bytes of metadata in one file")


class ByteSource:
    """Random access to a file with exact reads: a short read is a :class:`MediaFormatError`, not garbage."""

    def __init__(self, fh: BinaryIO, size: int, name: str = "file") -> None:
        self.fh = fh
        self.size = size
        self.name = name

    @classmethod
    def from_bytes(cls, data: bytes, name: str = "block") -> ByteSource:
        """A source over bytes already in memory (an EXIF block, an ID3 tag inside a RIFF chunk)."""
        return cls(io.BytesIO(data), len(data), name)

    def tell(self) -> int:
        return self.fh.tell()

    def seek(self, offset: int) -> None:
        self.fh.seek(offset)

    def read(self, n: int, what: str = "data") -> bytes:
        """Read exactly ``n`` bytes at the current position."""
        pos = self.fh.tell()
        if n < 0 or pos + n > self.size:
            raise MediaFormatError(f"truncated {self.name} {what} at offset {pos}: needs {n} bytes, "
                                   f"{max(self.size - pos, 0)} left")
        data = self.fh.read(n)
        if len(data) != n:
            raise MediaFormatError(f"truncated {self.name} {what} at offset {pos}")
        return data

    def read_at(self, offset: int, n: int, what: str = "data") -> bytes:
        """Read exactly ``n`` bytes at ``offset``."""
        if offset < 0 or offset > self.size:
            raise MediaFormatError(f"{self.name} {what} offset {offset} lies outside the {self.size}-byte file")
        self.fh.seek(offset)
        return self.read(n, what)

    def read_upto(self, n: int) -> bytes:
        """Read at most ``n`` bytes (for scans that may legitimately hit the end)."""
        return self.fh.read(max(0, min(n, self.size - self.fh.tell())))

    def skip(self, n: int, what: str = "data") -> None:
        """Seek over ``n`` bytes of payload without reading it."""
        pos = self.fh.tell()
        if n < 0 or pos + n > self.size:
            raise MediaFormatError(f"{self.name} {what} at offset {pos} declares {n} bytes but only "
                                   f"{max(self.size - pos, 0)} remain (truncated or wrong length)")
        self.fh.seek(pos + n)


class ContainerReader:
    """Base class of the container readers. Subclasses are stateless; one instance serves every file."""

    #: Format name reported to users (``MediaReport.format``) and used as carrier prefix.
    format: ClassVar[str]
    #: File suffixes (lower case, with dot) that make this reader a candidate when magic bytes are ambiguous.
    extensions: ClassVar[tuple[str, ...]] = ()
    #: Readers are asked in ascending priority; formats without magic bytes (Markdown) go last.
    priority: ClassVar[int] = 0

    def sniff(self, head: bytes, path: Path) -> bool:
        """True if the first bytes (up to 64) and the path say this reader handles the file."""
        raise NotImplementedError

    def read(self, src: ByteSource, ctx: ReadContext) -> None:
        """Walk the container and ``ctx.emit`` its metadata; raise :class:`MediaFormatError` on broken structure."""
        raise NotImplementedError


_READERS: list[ContainerReader] = []
_loaded = False

R = type[ContainerReader]


def register(cls: R) -> R:
    """Class decorator: make a container reader known (first registered, first asked when sniffing)."""
    _READERS.append(cls())
    return cls


def readers() -> list[ContainerReader]:
    """Every registered reader, after importing the modules of this package once."""
    global _loaded
    if not _loaded:
        _loaded = True
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
            if not info.name.startswith("_"):
                importlib.import_module(f"{__name__}.{info.name}")
        _READERS.sort(key=lambda r: r.priority)
    return _READERS


def choose(head: bytes, path: Path) -> ContainerReader | None:
    """The reader whose magic bytes match ``head``, or None for an unknown format."""
    for reader in readers():
        if reader.sniff(head, path):
            return reader
    return None


def scan_blob(carrier: str, data: bytes, ctx: ReadContext, key: str) -> None:
    """Emit a bare application blob if it mentions AIGC (e.g. Doubao's ``AIGC{...}`` JPEG APP segment)."""
    if b"AIGC" in data:
        ctx.emit(carrier, "blob", key, data)

