"""Reading items from JSON Lines at the edge: every line becomes an item or an error record naming it.

Nothing is lost: a malformed line yields an ErrorRecord with its line number and the run goes on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import ValidationError

from brightline.model import ITEM_TYPES, Account, ErrorRecord, Post, Report

#: Longest text field screened; longer ones get an error record (a 10 MB post is an attack, not a post).
MAX_TEXT_CHARS = 200_000
#: Longest input line read whole; longer lines are skipped with an error record without being parsed.
MAX_LINE_BYTES = 4 * 1024 * 1024
_TEXT_FIELDS = ("text", "title", "bio", "display_name", "handle", "reason")

ParsedItem = Account | Post | Report


def _excerpt(raw: bytes | str, limit: int = 80) -> str:
    s = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    s = s.strip()
    return s if len(s) <= limit else s[:limit] + "…"


def describe_validation_error(exc: ValidationError) -> str:
    """One readable sentence per problem: ``field 'text': Input should be a valid string (got 42)``."""
    parts = []
    for e in exc.errors(include_url=False):
        loc = ".".join(str(x) for x in e["loc"]) or "item"
        got = e.get("input")
        shown = json.dumps(got, ensure_ascii=False, default=str) if not isinstance(got, dict) else "an object"
        if len(shown) > 40:
            shown = shown[:40] + "…"
        parts.append(f"field {loc!r}: {e['msg']} (got {shown})" if e["type"] != "missing" else f"field {loc!r}: required")
    return "; ".join(parts)


def parse_object(obj: Any, line: int | None = None, source: str | None = None) -> ParsedItem | ErrorRecord:
    """Validate one decoded JSON object as an item, or explain why not."""
    if not isinstance(obj, dict):
        return ErrorRecord(f"expected a JSON object, got {type(obj).__name__}", line, source)
    kind = obj.get("kind")
    model = ITEM_TYPES.get(kind) if isinstance(kind, str) else None
    if model is None:
        return ErrorRecord(
            f"unknown or missing 'kind' {kind!r}; expected one of {', '.join(sorted(ITEM_TYPES))}", line, source
        )
    for f in _TEXT_FIELDS:
        v = obj.get(f)
        if isinstance(v, str) and len(v) > MAX_TEXT_CHARS:
            return ErrorRecord(
                f"field {f!r} has {len(v):,} characters; the limit is {MAX_TEXT_CHARS:,}", line, source,
                subject=_subject(obj),
            )
    try:
        return model.model_validate(obj)
    except ValidationError as exc:
        return ErrorRecord(describe_validation_error(exc), line, source, subject=_subject(obj))
    except (TypeError, ValueError, AttributeError) as exc:  # a validator that did not expect this shape
        return ErrorRecord(f"invalid {kind}: {exc}", line, source, subject=_subject(obj))


def _subject(obj: dict[str, Any]) -> Any:
    from brightline.model import SubjectRef

    kind, ident = obj.get("kind"), obj.get("id")
    if isinstance(kind, str) and isinstance(ident, (str, int)) and not isinstance(ident, bool):
        return SubjectRef(kind, str(ident))
    return None


#: A JSON escape of a UTF-16 surrogate: the only way a lone surrogate (not valid Unicode) enters a decoded str.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _replace_lone_surrogates(obj: Any) -> Any:
    """Replace lone surrogates (e.g. an emoji cut in half upstream) by U+FFFD, one code point for one.

    They cannot be written as UTF-8, so an excerpt echoing one would crash the writer; replacing them keeps
    every code-point offset valid. Iterative, because the object may be nested as deep as JSON allows.
    """
    def fix(s: str) -> str:
        return _LONE_SURROGATE.sub("\ufffd", s)

    if isinstance(obj, str):
        return fix(obj)
    stack = [obj]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in list(node):
                value = node[key]
                if isinstance(key, str) and _LONE_SURROGATE.search(key):
                    del node[key]
                    key = fix(key)
                node[key] = fix(value) if isinstance(value, str) else value
                if isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                if isinstance(value, str):
                    node[i] = fix(value)
                elif isinstance(value, (dict, list)):
                    stack.append(value)
    return obj


def parse_line(raw: bytes, line: int, source: str | None = None) -> ParsedItem | ErrorRecord:
    """Parse one JSONL line into an item, or an error record naming the line.

    A blank line is an error record too (JSON Lines allows no empty records), so the numbering a user sees
    always matches the file. A UTF-8 byte-order mark on line 1 is tolerated: Windows tools write one.
    """
    if len(raw) > MAX_LINE_BYTES:
        return ErrorRecord(f"line exceeds the limit of {MAX_LINE_BYTES:,} bytes", line, source, _excerpt(raw[:200]))
    if line == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if not raw.strip():
        return ErrorRecord("empty line", line, source)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if line == 1 and raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return ErrorRecord("the input is UTF-16 encoded; brightline reads UTF-8 JSON Lines", line, source)
        return ErrorRecord(f"invalid UTF-8 at byte {exc.start} of the line", line, source, _excerpt(raw))
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = exc.msg.removesuffix(" at")  # "Invalid control character at" would read "... at at column"
        return ErrorRecord(f"invalid JSON: {msg} at column {exc.colno}", line, source, _excerpt(text))
    except RecursionError:
        return ErrorRecord("invalid JSON: nested too deeply", line, source, _excerpt(text))
    except ValueError as exc:  # e.g. an integer beyond Python's 4,300-digit conversion limit
        return ErrorRecord(f"invalid JSON: {exc}", line, source, _excerpt(text))
    if _SURROGATE_ESCAPE.search(text):
        obj = _replace_lone_surrogates(obj)
    return parse_object(obj, line, source)


def _lines(stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """Yield (line number, bytes) without reading an over-long line into memory whole."""
    n = 0
    while True:
        chunk = stream.readline(MAX_LINE_BYTES + 1)
        if not chunk:
            return
        n += 1
        if len(chunk) > MAX_LINE_BYTES and not chunk.endswith(b"\n"):
            size = len(chunk)
            while True:  # drain the rest of the over-long line
                more = stream.readline(1 << 20)
                size += len(more)
                if not more or more.endswith(b"\n"):
                    break
            yield n, chunk  # bounded: MAX_LINE_BYTES + 1 bytes; parse_line reports it as too long
            continue
        yield n, chunk


def read_items(stream: BinaryIO, source: str | None = None) -> Iterator[ParsedItem | ErrorRecord]:
    """Parse a JSONL byte stream lazily, one item or error record per line."""
    for n, raw in _lines(stream):
        yield parse_line(raw, n, source)


def read_file(path: str | Path) -> Iterator[ParsedItem | ErrorRecord]:
    p = Path(path)
    with p.open("rb") as fh:
        yield from read_items(fh, str(p))
