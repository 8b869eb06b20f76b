"""Reading operator CSV files with errors that name the file and line."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from brightline.errors import RegistryError


def read_rows(path: str | Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)`` for each data row of a UTF-8 CSV file with a header.

    Raises RegistryError naming the line for a missing file, a missing column, bad UTF-8 or a short row.
    Blank lines and lines starting with ``#`` are skipped.
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise RegistryError(p, f"cannot read file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RegistryError(p, f"not UTF-8 (byte {exc.start})", line) from None
    lines = text.splitlines()
    # Find the header: the first line that is neither blank nor a comment.
    header_idx = next((i for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip().startswith("#")), None)
    if header_idx is None:
        raise RegistryError(p, f"empty file; expected a header {','.join(required)}")
    header = [h.strip().lower() for h in next(csv.reader([lines[header_idx]]))]
    missing = [c for c in required if c not in header]
    if missing:
        raise RegistryError(
            p, f"header lacks column(s) {', '.join(missing)}; expected {','.join(required)}", header_idx + 1
        )
    for i in range(header_idx + 1, len(lines)):
        ln = lines[i]
        if not ln.strip() or ln.lstrip().startswith("#"):
            continue
        try:
            values = next(csv.reader([ln]))
        except csv.Error as exc:
            raise RegistryError(p, f"bad CSV: {exc}", i + 1) from None
        if len(values) < len(header):
            # Trailing optional columns may be left off; required ones may not.
            values = values + [""] * (len(header) - len(values))
        row = {h: v.strip() for h, v in zip(header, values)}
        empty = [c for c in required if not row.get(c) and c in required[:1]]
        if empty:
            raise RegistryError(p, f"column {empty[0]!r} is empty", i + 1)
        yield i + 1, row
