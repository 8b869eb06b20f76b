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
