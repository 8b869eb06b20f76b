"""Fixture builders for the media readers.

Files are made at test time, by independent writers wherever one exists (exiftool, ffmpeg, mutagen, Pillow),
so the readers are not only tested against brightline's own idea of the formats. Hostile files are built by
hand in the tests that use them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

PRODUCER = "001191440300708461136T1XGW3"
TC260_NS = "http://www.tc260.org.cn/ns/AIGC/1.0/"
IPTC_NS = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
AI_DST = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"


def record(label: str = "1", *, wrapped: bool = True, **override: Any) -> str:
    """An Annex E record as the JSON string a producer writes."""
    fields: dict[str, Any] = {
        "Label": label,
        "ContentProducer": PRODUCER,
        "ProduceID": "20250901abc123",
        "ReservedCode1": "",
        "ContentPropagator": PRODUCER,
        "PropagateID": "20250901abc123",
        "ReservedCode2": "",
    }
    for k, v in override.items():
        if v is None:
            fields.pop(k, None)
        else:
            fields[k] = v
    return json.dumps({"AIGC": fields} if wrapped else fields, ensure_ascii=False, separators=(",", ":"))


def xmp_packet(aigc: str | None = None, dst: str | None = None, extra: str = "") -> str:
    """An XMP packet with TC260:AIGC and/or Iptc4xmpExt:DigitalSourceType as child elements."""
    from xml.sax.saxutils import escape

    body = ""
    if aigc is not None:
        body += f"<TC260:AIGC>{escape(aigc)}</TC260:AIGC>"
    if dst is not None:
        body += f"<Iptc4xmpExt:DigitalSourceType>{dst}</Iptc4xmpExt:DigitalSourceType>"
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" xmlns:TC260="{TC260_NS}" xmlns:Iptc4xmpExt="{IPTC_NS}">{body}{extra}'
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )


def require_tool(name: str) -> str:
    """Path of a system tool; skip locally when absent, but fail under CI=true (``make sysdeps`` installs it)."""
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} is not installed; CI must run `make sysdeps` (Debian packages) first")
    pytest.skip(f"{name} not installed (run `make sysdeps` as root)")


def run(*cmd: str | Path) -> None:
    """Run an external fixture writer; its stderr is in the failure message."""
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"{cmd[0]} failed: {proc.stderr[-2000:]}"


# --- small hand-built containers (fuzz seeds and hostile-file bases; no external tool needed) -----------------


def box(btype: bytes, payload: bytes) -> bytes:
    """One ISO BMFF box."""
    import struct

    return struct.pack(">I", 8 + len(payload)) + btype + payload


def mp4_bytes(value: str) -> bytes:
    """ftyp + mdat + moov/udta/meta(hdlr, keys, ilst) laid out the way ffmpeg's use_metadata_tags does."""
    import struct

    key = b"AIGC"
    keys = box(b"keys", b"\x00\x00\x00\x00" + struct.pack(">I", 1) + struct.pack(">I", 8 + len(key)) + b"mdta" + key)
    data = box(b"data", struct.pack(">II", 1, 0) + value.encode())
    ilst = box(b"ilst", box(struct.pack(">I", 1), data))
    hdlr = box(b"hdlr", b"\x00" * 8 + b"mdta" + b"\x00" * 13)
    meta = box(b"meta", b"\x00\x00\x00\x00" + hdlr + keys + ilst)
    return box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41") + box(b"mdat", b"\x00" * 64) + box(b"moov", box(b"udta", meta))


def wav_bytes(value: str) -> bytes:
    """A short PCM WAV (stdlib ``wave``) with an ``AIGC`` chunk after the audio data."""
    import io
    import struct
    import wave

    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x01" * 200)
    raw = buf.getvalue()
    data = value.encode() + b"\x00"
    chunk = b"AIGC" + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) % 2 else b"")
    body = raw[12:] + chunk
    return b"RIFF" + struct.pack("<I", len(body) + 4) + b"WAVE" + body


def flac_bytes(value: str) -> bytes:
    """``fLaC`` + STREAMINFO + a last VORBIS_COMMENT block (no audio frames: readers must not need them)."""
    import struct

    comment = f"AIGC={value}".encode()
    vc = struct.pack("<I", 4) + b"test" + struct.pack("<I", 1) + struct.pack("<I", len(comment)) + comment
    streaminfo = b"\x00" * 34
    return (b"fLaC" + bytes([0]) + len(streaminfo).to_bytes(3, "big") + streaminfo
            + bytes([0x80 | 4]) + len(vc).to_bytes(3, "big") + vc)


def ogg_bytes(value: str) -> bytes:
    """Two Ogg pages: a Vorbis identification header and a comment header (CRCs are not checked by readers)."""
    import struct

    def page(packet: bytes, seq: int, first: bool) -> bytes:
        lacing = [255] * (len(packet) // 255) + [len(packet) % 255]
        return (struct.pack("<4sBBqIIIB", b"OggS", 0, 2 if first else 0, 0, 7, seq, 0, len(lacing))
                + bytes(lacing) + packet)

    ident = b"\x01vorbis" + b"\x00" * 23
    comment = f"AIGC={value}".encode()
    vc = b"\x03vorbis" + struct.pack("<I", 4) + b"test" + struct.pack("<I", 1) + struct.pack("<I", len(comment)) + comment + b"\x01"
    return page(ident, 0, True) + page(vc, 1, False)


def mp3_bytes(value: str) -> bytes:
    """An ID3v2.4 tag with TXXX:AIGC (written by mutagen) in front of a few MPEG frame headers."""
    import io

    from mutagen.id3 import ID3, TXXX

    tags = ID3()
    tags.add(TXXX(encoding=3, desc="AIGC", text=[value]))
    buf = io.BytesIO(b"\xff\xfb\x90\x00" + b"\x00" * 413)
    tags.save(buf)
    return buf.getvalue()


def gif_bytes(xmp: str) -> bytes:
    """A Pillow GIF with an ``XMP DataXMP`` application extension (raw packet + the 258-byte magic trailer)."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("P", (8, 8)).save(buf, "GIF")
    data = buf.getvalue()
    trailer = b"\x01" + bytes(range(255, -1, -1)) + b"\x00"
    ext = b"\x21\xff\x0bXMP DataXMP" + xmp.encode() + trailer
    return data[:-1] + ext + data[-1:]
