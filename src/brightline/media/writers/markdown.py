"""Markdown: the record is an ``AIGC:`` mapping with the seven keys in the YAML front matter at the head of the file
(TC260-PG-20258A §6.5). Only the ``AIGC`` block is rewritten; the rest of the front matter and the body are kept
byte for byte. An ``AIGC`` value written as a JSON string or flow mapping is accepted and rewritten as a block.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from brightline.media.writers import LabelWriteError, Placement, RecordEdit

FORMAT = "markdown"
_MAX = 64 * 1024 * 1024
_FRONT = re.compile(r"\A(\ufeff?---[ \t]*\r?\n)(.*?\r?\n)?(---|\.\.\.)[ \t]*(\r?\n|\Z)", re.S)
_AIGC_BLOCK = re.compile(r"^AIGC[ \t]*:.*?(?=^\S|\Z)", re.S | re.M)


def sniff(head: bytes, path: Path) -> bool:
    """By suffix: Markdown has no magic bytes."""
    return path.suffix.lower() in (".md", ".markdown")


def split_front_matter(text: str) -> tuple[str, str]:
    """``(front matter including its fences, body)``; the first part is empty when there is none."""
    m = _FRONT.match(text)
    return (text[: m.end()], text[m.end() :]) if m else ("", text)


def _block(record: dict[str, Any]) -> str:
    lines = ["AIGC:"]
    for key, value in record.items():
        lines.append(f"  {key}: {json.dumps(value, ensure_ascii=False)}")  # JSON scalars are valid YAML
    return "\n".join(lines) + "\n"


def write(src: BinaryIO, dst: BinaryIO, edit: RecordEdit) -> Placement:
    """Copy ``src`` to ``dst`` with the front matter's ``AIGC`` block set (front matter added if absent)."""
    raw = src.read(_MAX + 1)
    if len(raw) > _MAX:
        raise LabelWriteError("Markdown file larger than 64 MiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LabelWriteError(f"Markdown file is not UTF-8: {exc}") from None
    m = _FRONT.match(text)
    updated = False
    if m:
        body = m.group(2) or ""
        block = _AIGC_BLOCK.search(body)
        current = None
        if block:
            try:
                parsed = yaml.safe_load(block.group(0))
            except yaml.YAMLError as exc:
                raise LabelWriteError(f"the front matter's AIGC entry is not valid YAML: {exc}") from None
            value = parsed.get("AIGC") if isinstance(parsed, dict) else None
            current = json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else (value if isinstance(value, str) else None)
            if current is None:
                raise LabelWriteError("the front matter's AIGC entry is neither a mapping nor a JSON string")
        new_value, _ = edit.apply(current)
        record = json.loads(new_value)
        new_block = _block(record["AIGC"] if set(record) == {"AIGC"} else record)
        if block:
            body = body[: block.start()] + new_block + body[block.end() :]
            updated = True
        else:
            body = body + ("" if not body or body.endswith("\n") else "\n") + new_block
        out = m.group(1) + body + text[m.end(2) if m.group(2) is not None else m.end(1) :]
    else:
        new_value, _ = edit.apply(None)
        out = "---\n" + _block(json.loads(new_value)) + "---\n" + text
    dst.write(out.encode("utf-8"))
    return Placement(FORMAT, "markdown:front-matter:AIGC", updated)
