"""A perceptual-hash index of images with the time each was first seen (SPEC capability E: recycled media).

An image re-encoded, resized, re-compressed or lightly edited keeps a 64-bit pHash (imagehash) within a few
bits of the original; the index answers "have we seen something like this before, and when first?".

File format (JSON Lines, one image per line, append-only so a crash loses nothing)::

    {"hash": "c3d4e5f6a7b8c9d0", "first_seen": "2021-07-21T08:00:00+00:00", "source": "post:p123"}

``hash`` is the pHash as 16 hex digits, ``first_seen`` an ISO 8601 time (a date alone means midnight UTC),
``source`` where it was first seen (free text). A hash may appear on several lines; the earliest time wins.
Bad lines raise :class:`~brightline.errors.RegistryError` naming the line.

Lookups scan a numpy array of hashes with a vectorised popcount: 1,000,000 images take a few milliseconds,
far below the cost of decoding the image being checked; no tree structure is needed at that size.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import imagehash
import numpy as np
from PIL import Image, UnidentifiedImageError

from brightline.errors import BrightlineError, RegistryError

#: Largest image decoded for hashing (pixels). A bigger one is refused, never decoded (decompression bombs).
MAX_PIXELS = 64_000_000
#: File suffixes hashed; other media (video, audio, PDF) are skipped without opening them.
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff"})


class ImageHashError(BrightlineError):
    """An image could not be hashed (unreadable, not an image, too large)."""


@dataclass(frozen=True, slots=True)
class Sighting:
    """The earliest sighting of an image like the one looked up, and how far its hash is (bits of 64)."""

    hash: int
    first_seen: datetime
    source: str
    distance: int

    @property
    def hex(self) -> str:
        return f"{self.hash:016x}"


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def image_phash(path: str | Path) -> int:
    """The 64-bit perceptual hash of an image file. Raises ImageHashError for anything that is not a
    readable image of bounded size."""
    p = Path(path)
    try:
        with Image.open(p) as im:
            w, h = im.size
            if w * h > MAX_PIXELS:
                raise ImageHashError(f"{p.name}: {w}x{h} pixels exceeds the limit of {MAX_PIXELS:,}")
            # JPEG can decode at 1/8 scale directly: pHash only looks at a 32x32 grey thumbnail anyway.
            im.draft("L", (128, 128))
            grey = im.convert("L")
            return int(str(imagehash.phash(grey)), 16)
    except ImageHashError:
        raise
    except FileNotFoundError:
        raise ImageHashError(f"{p}: no such file") from None
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise ImageHashError(f"{p.name}: not a readable image ({exc.__class__.__name__})") from None
    except (OSError, ValueError, SyntaxError) as exc:  # truncated or corrupt data surfaces as these in Pillow
        raise ImageHashError(f"{p.name}: cannot decode image: {exc}") from None


class PerceptualIndex:
    """Hashes with their first sighting. ``path`` (optional) is loaded now and appended to on every change."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._hashes = np.zeros(1024, dtype=np.uint64)
        self._seen: list[datetime] = []
        self._source: list[str] = []
        self._row: dict[int, int] = {}
        if self.path is not None and self.path.exists():
            self._load(self.path)

    def __len__(self) -> int:
        return len(self._seen)

    def _load(self, path: Path) -> None:
        try:
            fh = path.open("r", encoding="utf-8")
        except OSError as exc:
            raise RegistryError(path, f"cannot read media index: {exc.strerror or exc}") from None
        with fh:
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                    h = int(rec["hash"], 16)
                    if not 0 <= h < 1 << 64:
                        raise ValueError("hash is not 64 bits")
                    seen = _utc(datetime.fromisoformat(str(rec["first_seen"]).replace("Z", "+00:00")))
                    source = str(rec.get("source") or "")
                except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
                    raise RegistryError(path, f"bad media index line ({type(exc).__name__}: {exc}); expected "
                                        '{"hash": "<16 hex>", "first_seen": "<ISO time>", "source": "..."}', n) from None
                self._put(h, seen, source)

    def _put(self, h: int, seen: datetime, source: str) -> bool:
        """Record a sighting; True when it changed the index (new hash, or an earlier time)."""
        row = self._row.get(h)
        if row is not None:
            if seen >= self._seen[row]:
                return False
            self._seen[row], self._source[row] = seen, source
            return True
        row = len(self._seen)
        if row == len(self._hashes):
            self._hashes = np.concatenate([self._hashes, np.zeros(len(self._hashes), dtype=np.uint64)])
        self._hashes[row] = np.uint64(h)
        self._seen.append(seen)
        self._source.append(source)
        self._row[h] = row
        return True

    def nearest(self, h: int, max_distance: int) -> Sighting | None:
        """The earliest sighting among hashes within ``max_distance`` bits of ``h``, or None."""
        n = len(self._seen)
        if n == 0:
            return None
        dist = np.bitwise_count(np.bitwise_xor(self._hashes[:n], np.uint64(h)))
        rows = np.flatnonzero(dist <= max_distance)
        if not len(rows):
            return None
        row = min(rows.tolist(), key=lambda r: self._seen[r])
        return Sighting(int(self._hashes[row]), self._seen[row], self._source[row], int(dist[row]))

    def add(self, h: int, seen: datetime, source: str) -> None:
        """Remember a sighting (the earliest one wins) and append it to the index file, if any."""
        seen = _utc(seen)
        if self._put(h, seen, source) and self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps({"hash": f"{h:016x}", "first_seen": seen.isoformat(), "source": source},
                                    ensure_ascii=False) + "\n")

    def save(self, path: str | Path) -> None:
        """Write the whole index (one line per hash) to ``path``."""
        with Path(path).open("w", encoding="utf-8") as fh:
            for row, seen in enumerate(self._seen):
                fh.write(json.dumps({"hash": f"{int(self._hashes[row]):016x}", "first_seen": seen.isoformat(),
                                     "source": self._source[row]}, ensure_ascii=False) + "\n")
