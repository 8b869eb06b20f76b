"""PDF: the trailer's ``/Info`` dictionary (``/AIGC`` per the text guide §6.3) and the catalog's XMP ``/Metadata``.

Hand-written because a full PDF library parses the page tree and every xref section we do not need: this
reads the file's tail, follows ``startxref`` (classic tables, xref streams, ``/Prev`` chains, object streams)
and loads at most a handful of objects by offset. Streams are inflated with an output cap. If the xref
offsets are wrong (hand-edited files), small files are scanned for ``N G obj`` instead.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import Any

from brightline.media.containers import ByteSource, ContainerReader, MediaFormatError, ReadContext, register
from brightline.media.containers.png import inflate

_TAIL = 64 * 1024
_MAX_NESTING = 64
_MAX_SECTIONS = 64
_SCAN_LIMIT = 8 * 1024 * 1024
_WS = b" \t\r\n\x0c\x00"
_DELIM = b"()<>[]{}/%"
_OBJ_HEADER = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")


class Ref(tuple):  # type: ignore[type-arg]
    """An indirect reference ``N G R``."""

    __slots__ = ()

    def __new__(cls, num: int, gen: int) -> Ref:
        return super().__new__(cls, (num, gen))


class Name(str):
    """A PDF name (``/Info``), kept apart from strings."""


class Stream:
    """A stream object: its dictionary and where its raw data starts."""

    def __init__(self, d: dict[str, Any], data_offset: int) -> None:
        self.dict, self.data_offset = d, data_offset


class _Lexer:
    """Recursive-descent parser for PDF objects over an in-memory buffer (bounded nesting)."""

    def __init__(self, buf: bytes, pos: int = 0) -> None:
        self.buf, self.pos = buf, pos

    def _skip_ws(self) -> None:
        buf, n = self.buf, len(self.buf)
        while self.pos < n:
            c = buf[self.pos]
            if c in _WS:
                self.pos += 1
            elif c == 0x25:  # % comment to end of line
                while self.pos < n and buf[self.pos] not in b"\r\n":
                    self.pos += 1
            else:
                return

    def _token(self) -> bytes:
        self._skip_ws()
        start = self.pos
        while self.pos < len(self.buf) and self.buf[self.pos] not in _WS and self.buf[self.pos] not in _DELIM:
            self.pos += 1
        return self.buf[start : self.pos]

    def parse(self, depth: int = 0) -> Any:
        if depth > _MAX_NESTING:
            raise ValueError("PDF objects nested too deeply")
        self._skip_ws()
        if self.pos >= len(self.buf):
            raise ValueError("unexpected end of PDF object")
        buf, c = self.buf, self.buf[self.pos]
        if buf.startswith(b"<<", self.pos):
            self.pos += 2
            out: dict[str, Any] = {}
            while True:
                self._skip_ws()
                if buf.startswith(b">>", self.pos):
                    self.pos += 2
                    return out
                key = self.parse(depth + 1)
                if not isinstance(key, Name):
                    raise ValueError(f"PDF dictionary key is not a name at byte {self.pos}")
                out[str(key)] = self.parse(depth + 1)
        if c == 0x5B:  # [
            self.pos += 1
            items = []
            while True:
                self._skip_ws()
                if self.pos >= len(buf):
                    raise ValueError("unterminated PDF array")
                if buf[self.pos] == 0x5D:
                    self.pos += 1
                    return items
                items.append(self.parse(depth + 1))
        if c == 0x2F:  # /
            self.pos += 1
            raw = self._token()
            return Name(re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw).decode("latin-1"))
        if c == 0x28:  # (
            return self._literal()
        if c == 0x3C:  # <hex>
            end = buf.find(b">", self.pos)
            if end < 0:
                raise ValueError("unterminated PDF hex string")
            hexdigits = re.sub(rb"[^0-9A-Fa-f]", b"", buf[self.pos + 1 : end])
            self.pos = end + 1
            return bytes.fromhex((hexdigits + b"0" * (len(hexdigits) % 2)).decode())
        tok = self._token()
        if not tok:
            raise ValueError(f"unexpected byte {bytes([c])!r} in PDF object")
        if tok in (b"true", b"false"):
            return tok == b"true"
        if tok == b"null":
            return None
        try:
            num: int | float = int(tok)
        except ValueError:
            try:
                return float(tok)
            except ValueError:
                return Name(tok.decode("latin-1"))  # an operator/keyword such as 'stream' or 'endobj'
        # "N G R" is a reference: look ahead without committing.
        save = self.pos
        gen = self._token()
        if gen.isdigit():
            if self._token() == b"R":
                return Ref(num, int(gen))
        self.pos = save
        return num

    def _literal(self) -> bytes:
        buf, out, depth = self.buf, bytearray(), 0
        self.pos += 1
        escapes = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}
        while self.pos < len(buf):
            c = buf[self.pos]
            self.pos += 1
            if c == 0x5C:  # backslash
                if self.pos >= len(buf):
                    break
                e = buf[self.pos]
                self.pos += 1
                if e in escapes:
                    out += escapes[e]
                elif 0x30 <= e <= 0x37:
                    digits = bytes([e])
                    while len(digits) < 3 and self.pos < len(buf) and 0x30 <= buf[self.pos] <= 0x37:
                        digits += bytes([buf[self.pos]])
                        self.pos += 1
                    out.append(int(digits, 8) & 0xFF)
                elif e in b"\r\n":
                    if e == 0x0D and self.pos < len(buf) and buf[self.pos] == 0x0A:
                        self.pos += 1
                else:
                    out.append(e)
            elif c == 0x28:
                depth += 1
                out.append(c)
            elif c == 0x29:
                if depth == 0:
                    return bytes(out)
                depth -= 1
                out.append(c)
            else:
                out.append(c)
        raise ValueError("unterminated PDF literal string")


def text_string(value: Any) -> str | None:
    """Decode a PDF text string (UTF-16BE or UTF-8 with BOM, else PDFDocEncoding ≈ Latin-1)."""
    if not isinstance(value, bytes):
        return None
    if value.startswith(b"\xfe\xff"):
        return value[2:].decode("utf-16-be", errors="replace")
    if value.startswith(b"\xef\xbb\xbf"):
        return value[3:].decode("utf-8", errors="replace")
    try:
        return value.decode("utf-8")  # not PDFDocEncoding, but what JSON-writing tools actually emit
    except UnicodeDecodeError:
        return value.decode("latin-1")


def _png_unpredict(data: bytes, columns: int) -> bytes:
    """Undo PNG row predictors (xref streams use /Predictor 12 'Up')."""
    row_len = columns + 1
    out = bytearray()
    prev = bytearray(columns)
    for i in range(0, len(data) - row_len + 1, row_len):
        ftype, row = data[i], bytearray(data[i + 1 : i + row_len])
        for j in range(columns):
            left = row[j - 1] if j else 0
            up, ul = prev[j], (prev[j - 1] if j else 0)
            if ftype == 1:
                row[j] = (row[j] + left) & 0xFF
            elif ftype == 2:
                row[j] = (row[j] + up) & 0xFF
            elif ftype == 3:
                row[j] = (row[j] + (left + up) // 2) & 0xFF
            elif ftype == 4:
                p = left + up - ul
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - ul)
                row[j] = (row[j] + (left if pa <= pb and pa <= pc else up if pb <= pc else ul)) & 0xFF
        out += row
        prev = row
    return bytes(out)


class _Document:
    """Just enough of a PDF to find objects by number."""

    def __init__(self, src: ByteSource, ctx: ReadContext) -> None:
        self.src, self.ctx = src, ctx
        self.offsets: dict[int, int] = {}  # object number → byte offset (first = newest wins)
        self.in_stream: dict[int, tuple[int, int]] = {}  # object number → (object stream number, index)
        self.trailer: dict[str, Any] = {}
        self._objstm: dict[int, tuple[bytes, list[tuple[int, int]], int]] = {}

    # -- low-level reading -------------------------------------------------------------------------------------

    def _window(self, offset: int, n: int = 4096) -> bytes:
        self.src.seek(offset)
        return self.src.read_upto(n)

    def parse_at(self, offset: int, window: int = 4096) -> Any:
        """Parse one object (``N G obj …``) at ``offset``; grows the window for large dictionaries."""
        while True:
            buf = self._window(offset, window)
            lex = _Lexer(buf)
            try:
                m = _OBJ_HEADER.match(buf, 0)
                if m:
                    lex.pos = m.end()
                value = lex.parse()
                if isinstance(value, dict):
                    lex._skip_ws()
                    if buf.startswith(b"stream", lex.pos):
                        p = lex.pos + 6
                        p += 2 if buf.startswith(b"\r\n", p) else 1
                        return Stream(value, offset + p)
                return value
            except ValueError:
                if window >= self.ctx.limits.max_bytes or offset + window >= self.src.size:
                    raise
                window *= 8

    def stream_data(self, s: Stream) -> bytes:
        length = self.resolve(s.dict.get("Length"))
        if not isinstance(length, int) or length < 0:
            raise MediaFormatError(f"PDF stream at offset {s.data_offset} has no usable /Length")
        self.ctx.budget(length, "PDF stream", s.data_offset)
        raw = self.src.read_at(s.data_offset, length, "PDF stream")
        filters = s.dict.get("Filter")
        filters = [filters] if isinstance(filters, Name) else (filters or [])
        parms = s.dict.get("DecodeParms")
        for f in filters:
            if f not in ("FlateDecode", "Fl"):
                raise MediaFormatError(f"PDF stream filter /{f} not supported")
            raw = inflate(raw, self.ctx.limits.max_bytes, "PDF stream")
            if isinstance(parms, dict) and isinstance(parms.get("Predictor"), int) and parms["Predictor"] >= 10:
                raw = _png_unpredict(raw, int(parms.get("Columns", 1)))
        return raw

    def resolve(self, value: Any, depth: int = 0) -> Any:
        if isinstance(value, Ref) and depth < 8:
            return self.resolve(self.get(value[0]), depth + 1)
        return value

    def get(self, num: int) -> Any:
        if num in self.offsets:
            offset = self.offsets[num]
            return self.parse_at(offset) if offset >= 0 else None
        if num in self.in_stream:
            stm, index = self.in_stream[num]
            return self._from_object_stream(stm, index)
        return None

    def _from_object_stream(self, stm: int, index: int) -> Any:
        if stm not in self._objstm:
            s = self.parse_at(self.offsets.get(stm, -1)) if stm in self.offsets else None
            if not isinstance(s, Stream):
                raise MediaFormatError(f"PDF object stream {stm} not found")
            data = self.stream_data(s)
            n, first = int(s.dict.get("N", 0)), int(s.dict.get("First", 0))
            lex = _Lexer(data)
            pairs = [(lex.parse(), lex.parse()) for _ in range(min(n, 100_000))]
            self._objstm[stm] = (data, pairs, first)
        data, pairs, first = self._objstm[stm]
        if index >= len(pairs):
            return None
        return _Lexer(data, first + int(pairs[index][1])).parse()

    # -- cross-reference data ----------------------------------------------------------------------------------

    def load(self) -> None:
        tail_start = max(0, self.src.size - _TAIL)
        tail = self.src.read_at(tail_start, self.src.size - tail_start, "PDF tail")
        at = tail.rfind(b"startxref")
        try:
            if at < 0:
                raise MediaFormatError("no startxref")
            offset = int(_Lexer(tail, at + 9).parse())
            seen: set[int] = set()
            while offset is not None and len(seen) < _MAX_SECTIONS:
                if offset in seen:
                    raise MediaFormatError(f"PDF xref /Prev loop at offset {offset}")
                seen.add(offset)
                self.ctx.tick("PDF xref section")
                offset = self._section(offset)
        except (MediaFormatError, ValueError) as exc:
            if self.src.size > _SCAN_LIMIT:
                raise MediaFormatError(f"PDF cross-reference data is broken ({exc})") from exc
            self.ctx.error(f"PDF cross-reference data is broken ({exc}); scanned the file for objects instead")
            self._scan()

    def _section(self, offset: int) -> int | None:
        buf = self._window(offset, 64)
        if buf.startswith(b"xref"):
            return self._table(offset + 4)
        obj = self.parse_at(offset)
        if not isinstance(obj, Stream) or obj.dict.get("Type") != "XRef":
            raise MediaFormatError(f"startxref points at offset {offset}, which holds no xref table or stream")
        self._merge_trailer(obj.dict)
        self._xref_stream(obj)
        prev = obj.dict.get("Prev")
        return prev if isinstance(prev, int) else None

    def _merge_trailer(self, d: dict[str, Any]) -> None:
        for k, v in d.items():
            self.trailer.setdefault(k, v)  # newest section wins

    def _table(self, pos: int) -> int | None:
        src = self.src
        while True:
            self.ctx.tick("PDF xref subsection")
            line = self._window(pos, 64)
            lex = _Lexer(line)
            lex._skip_ws()
            if line.startswith(b"trailer", lex.pos):
                trailer_lex_start = pos + lex.pos + 7
                trailer = self.parse_at_plain(trailer_lex_start)
                if not isinstance(trailer, dict):
                    raise MediaFormatError("PDF trailer is not a dictionary")
                self._merge_trailer(trailer)
                if isinstance(trailer.get("XRefStm"), int):  # hybrid file
                    s = self.parse_at(trailer["XRefStm"])
                    if isinstance(s, Stream):
                        self._xref_stream(s)
                prev = trailer.get("Prev")
                return prev if isinstance(prev, int) else None
            start, count = lex.parse(), lex.parse()
            if not isinstance(start, int) or not isinstance(count, int) or count < 0:
                raise MediaFormatError(f"bad xref subsection header at offset {pos}")
            lex._skip_ws()
            entries_at = pos + lex.pos
            if count > (src.size - entries_at) // 20 + 1:
                raise MediaFormatError(f"xref subsection at offset {pos} declares {count} entries")
            table = src.read_at(entries_at, count * 20, "xref entries") if count else b""
            for i in range(count):
                entry = table[i * 20 : i * 20 + 18]
                if entry[17:18] == b"n":
                    self.offsets.setdefault(start + i, int(entry[:10]))
                else:
                    self.offsets.setdefault(start + i, -1)  # free: hides older definitions
            pos = entries_at + count * 20

    def parse_at_plain(self, offset: int) -> Any:
        buf = self._window(offset, 16384)
        return _Lexer(buf).parse()

    def _xref_stream(self, s: Stream) -> None:
        data = self.stream_data(s)
        w = s.dict.get("W")
        if not (isinstance(w, list) and len(w) == 3 and all(isinstance(x, int) and 0 <= x <= 8 for x in w)):
            raise MediaFormatError("xref stream has a bad /W array")
        index = s.dict.get("Index") or [0, s.dict.get("Size", 0)]
        width = sum(w)
        pos = 0
        for start, count in zip(index[::2], index[1::2]):
            for i in range(int(count)):
                if pos + width > len(data):
                    return
                f = [int.from_bytes(data[pos + sum(w[:k]) : pos + sum(w[: k + 1])], "big") for k in range(3)]
                typ = f[0] if w[0] else 1
                num = int(start) + i
                if typ == 1:
                    self.offsets.setdefault(num, f[1])
                elif typ == 2 and num not in self.offsets:
                    self.in_stream.setdefault(num, (f[1], f[2]))
                pos += width

    def _scan(self) -> None:
        self.ctx.budget(self.src.size, "PDF scan", 0)
        data = self.src.read_at(0, self.src.size, "PDF")
        self.offsets.clear()
        self.in_stream.clear()
        for m in _OBJ_HEADER.finditer(data):
            self.offsets[int(m.group(1))] = m.start()  # later definitions win, like incremental updates
        at = data.rfind(b"trailer")
        if at >= 0:
            trailer = _Lexer(data, at + 7).parse()
            if isinstance(trailer, dict):
                self.trailer = trailer
        if not self.trailer:
            for m in re.finditer(rb"/Type\s*/XRef", data):
                start = data.rfind(b"obj", 0, m.start())
                hdr = list(_OBJ_HEADER.finditer(data, max(0, start - 40), start + 3))
                if hdr:
                    obj = self.parse_at(hdr[-1].start())
                    if isinstance(obj, Stream):
                        self.trailer = obj.dict
        if not self.trailer:
            raise MediaFormatError("PDF has no trailer")


@register
class PdfReader(ContainerReader):
    """PDF documents."""

    format = "pdf"
    extensions = (".pdf",)

    def sniff(self, head: bytes, path: Path) -> bool:
        return b"%PDF-" in head[:64]

    def read(self, src: ByteSource, ctx: ReadContext) -> None:
        doc = _Document(src, ctx)
        try:
            doc.load()
            if "Encrypt" in doc.trailer:
                ctx.error("PDF is encrypted: its Info strings and metadata cannot be read")
                return
            info = doc.resolve(doc.trailer.get("Info"))
            if isinstance(info, dict):
                for key, value in info.items():
                    text = text_string(doc.resolve(value))
                    if text is not None:
                        ctx.emit("pdf:Info", "text", key, text)
            root = doc.resolve(doc.trailer.get("Root"))
            meta = doc.resolve(root.get("Metadata")) if isinstance(root, dict) else None
            if isinstance(meta, Stream):
                ctx.emit("pdf:xmp", "xmp", "XMP", doc.stream_data(meta))
        except (ValueError, zlib.error) as exc:
            raise MediaFormatError(f"PDF structure unreadable: {exc}") from exc
