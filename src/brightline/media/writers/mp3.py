"""MP3: the record is an ID3v2 ``TXXX`` frame with description ``AIGC`` (TC260-PG-202510A), written with mutagen.

mutagen rewrites the tag in a copy of the file (the copy is streamed; the audio frames are not decoded), so the
input stays untouched. Other frames — the producer's, C2PA's GEOB — are kept as they are.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import BinaryIO

from brightline.media.writers import LabelWriteError, Placement, RecordEdit

FORMAT = "mp3"


def sniff(head: bytes, path: Path) -> bool:
    """An ID3v2 tag, or an MPEG audio frame sync in a file named .mp3."""
    return head[:3] == b"ID3" or (path.suffix.lower() == ".mp3" and len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)


def write(src: BinaryIO, dst: BinaryIO, edit: RecordEdit) -> Placement:
    """Copy ``src`` to ``dst`` and set the ``TXXX:AIGC`` frame in the copy."""
    from mutagen import MutagenError
    from mutagen.id3 import ID3, TXXX, ID3NoHeaderError

    src.seek(0)
    shutil.copyfileobj(src, dst, 1 << 20)
    dst.flush()
    dst.seek(0)
    try:
        tags = ID3(dst)  # type: ignore[arg-type]
    except ID3NoHeaderError:
        tags = ID3()
    except MutagenError as exc:
        raise LabelWriteError(f"cannot read the ID3 tag: {exc}") from None
    frames = [f for f in tags.getall("TXXX") if "AIGC" in f.desc.upper()]
    current = frames[0].text[0] if frames and frames[0].text else None
    value, _ = edit.apply(current)
    desc = frames[0].desc if frames else "AIGC"
    if len(frames) > 1:  # already two records (GB 45438 6.1 c)): updating one would leave them disagreeing
        raise LabelWriteError(f"the file already holds {len(frames)} AIGC frames; refusing to pick one")
    tags.delall(f"TXXX:{desc}")
    tags.add(TXXX(encoding=3, desc=desc, text=[value]))
    dst.seek(0)
    try:
        tags.save(dst, v2_version=tags.version[1] if tags.version[1] in (3, 4) else 4)  # type: ignore[arg-type]
    except MutagenError as exc:
        raise LabelWriteError(f"cannot write the ID3 tag: {exc}") from None
    return Placement(FORMAT, f"mp3:id3:TXXX:{desc}", current is not None)
