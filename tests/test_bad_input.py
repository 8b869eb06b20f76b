"""Bad input never crashes ``brightline screen``: a clear error for that item, nothing else lost, bounded memory.

One hostile file mixes good items with every kind of broken line and hostile media, and is screened once in a
separate process under a 1.5 GB address-space limit (RLIMIT_AS): a reader that tried to allocate a 2 GB chunk,
or a parser that read a 10 MB line whole several times over, would fail here.
"""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from brightline.ingest import parse_line, parse_object
from brightline.model import ErrorRecord

ADDRESS_SPACE = 1536 * 1024 * 1024
TEN_MB = 10 * 1024 * 1024


def _png_chunk(kind: bytes, data: bytes, declared: int | None = None) -> bytes:
    length = len(data) if declared is None else declared
    return struct.pack(">I", length) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _small_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 120, 200)).save(buf, "PNG")
    return buf.getvalue()


def write_hostile_media(folder: Path) -> None:
    """PNG files a hostile uploader could send, built byte by byte."""
    folder.mkdir(parents=True, exist_ok=True)
    png = _small_png()
    ihdr_end = 8 + 25  # signature + IHDR chunk
    # An iTXt chunk declaring ~2 GB (0x7FFFFFF0 bytes) with a few bytes actually present, then EOF.
    (folder / "huge_chunk.png").write_bytes(
        png[:ihdr_end] + _png_chunk(b"iTXt", b"AIGC\x00\x00\x00\x00\x00{", declared=0x7FFFFFF0)
    )
    # The same lie placed after the image data, where a reader that scans to the end meets it.
    iend = png.rindex(b"IEND") - 4
    (folder / "huge_chunk_tail.png").write_bytes(png[:iend] + _png_chunk(b"tEXt", b"AIGC\x00{", declared=0x7FFFFFFF))
    (folder / "truncated.png").write_bytes(png[: len(png) // 2])
    (folder / "empty.png").write_bytes(b"")
    (folder / "not_an_image.png").write_text("<html>this is not a PNG</html>", encoding="utf-8")


def _post(pid: str, **fields: Any) -> str:
    return json.dumps({"kind": "post", "id": pid, **fields}, ensure_ascii=False)


#: (line, expected outcome): a substring of the error message, or None for "decided normally".
HOSTILE: list[tuple[bytes | str, str | None]] = [
    (_post("first", text="今天天气不错"), None),
    ('{"kind": "post", "id": "bad-json", "text": "unterminated', "invalid JSON"),
    (_post("wrong-text", text=42), "'text'"),
    (_post("wrong-media", media="cover.png"), "'media'"),
    ('{"kind": "account", "id": "wrong-quals", "qualifications": "none"}', "'qualifications'"),
    (_post("wrong-date", created_at="yesterday"), "'created_at'"),
    ('{"kind": "post", "id": true}', "'id'"),
    ("[1, 2, 3]", "expected a JSON object, got list"),
    ('"just a string"', "expected a JSON object, got str"),
    ("42", "expected a JSON object, got int"),
    ("null", "expected a JSON object, got NoneType"),
    ('{"kind": "tweet", "id": "t1"}', "unknown or missing 'kind'"),
    ('{"id": "no-kind", "text": "hi"}', "unknown or missing 'kind'"),
    ('{"kind": "report", "id": "r-no-subject"}', "'subject'"),
    (_post("ten-mb", text="A" * TEN_MB), "exceeds the limit"),
    (_post("long-text", text="长" * 250_000), "'text' has 250,000 characters"),
    (b'{"kind": "post", "id": "latin1", "text": "caf\xe9"}', "invalid UTF-8"),
    ("", "empty line"),
    ("   \t", "empty line"),
    (b'{"kind": "post", "id": "raw-nul", "text": "a\x00b"}', "invalid JSON: Invalid control character at column"),
    (b"\x00\x00\x00\x00", "invalid JSON"),
    (_post("escaped-nul", text="a\u0000b 加我薇❤ abc12345"), None),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"kind": "post", "id": "deep-extra", "extra": ' + "[" * 50_000 + "]" * 50_000 + "}", "nested too deeply"),
    ('{"kind": "post", "id": "bigint", "n": ' + "9" * 5000 + "}", "invalid JSON"),
    ('{"kind": "post", "id": "surrogate", "text": "emoji cut \\ud83d here: 加我薇\\ud83d abc12345"}', None),
    (_post("control-chars", text="\x1b[31mred\x1b[0m\u202e\u200b\ufeff", title="\r\n\t"), None),
    (_post("huge-chunk", text="看图", media=[{"path": "media/huge_chunk.png"}]), None),
    (_post("huge-chunk-tail", text="看图", media=[{"path": "media/huge_chunk_tail.png"}]), None),
    (_post("truncated-png", text="看图", media=[{"path": "media/truncated.png"}]), None),
    (_post("empty-png", media=[{"path": "media/empty.png"}]), None),
    (_post("html-png", media=[{"path": "media/not_an_image.png"}]), None),
    (_post("missing-media", media=[{"path": "media/does_not_exist.png"}]), None),
    (_post("directory-media", media=[{"path": "media"}]), None),
    (_post("many-media", media=[{"path": "media/truncated.png"}] * 200), None),
    (_post("last", text="最后一条"), None),
    ('{"kind": "post", "id": "cut-off-at-eof"', "invalid JSON"),
]
#: Posts whose media cannot be read, and the file each names.
MEDIA_POSTS = {
    "huge-chunk": "huge_chunk.png", "huge-chunk-tail": "huge_chunk_tail.png", "truncated-png": "truncated.png",
    "empty-png": "empty.png", "html-png": "not_an_image.png", "missing-media": "does_not_exist.png",
}


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory, brightline_process) -> tuple[Path, Any]:
    folder = tmp_path_factory.mktemp("hostile")
    write_hostile_media(folder / "media")
    path = folder / "hostile.jsonl"
    raw = [line.encode("utf-8") if isinstance(line, str) else line for line, _ in HOSTILE]
    path.write_bytes(b"\n".join(raw))  # no newline after the last line: a file cut off mid-write
    # Run from another directory: relative media paths must resolve against the input file.
    run = brightline_process("screen", path, "-o", folder / "out.jsonl", cwd=tmp_path_factory.mktemp("cwd"),
                         address_space=ADDRESS_SPACE)
    return folder, run


@pytest.fixture(scope="module")
def hostile_records(hostile_run: tuple[Path, Any]) -> list[dict[str, Any]]:
    folder, run = hostile_run
    assert run.returncode == 0, run.stderr[-3000:]
    return [json.loads(line) for line in (folder / "out.jsonl").read_text(encoding="utf-8").splitlines()]


def test_hostile_file_is_screened_without_a_crash_under_a_memory_limit(hostile_run) -> None:
    _, run = hostile_run
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    assert "MemoryError" not in run.stderr


def test_every_line_yields_exactly_one_record_in_order(hostile_records) -> None:
    assert len(hostile_records) == len(HOSTILE)


@pytest.mark.parametrize("number", range(1, len(HOSTILE) + 1))
def test_each_bad_line_gets_a_clear_error_naming_it(hostile_records, number: int) -> None:
    line, expected = HOSTILE[number - 1]
    record = hostile_records[number - 1]
    if expected is None:
        assert record.get("kind") != "error", record
        assert record["verdict"] in {"allow", "label", "restrict", "remove", "review"}
        assert "MemoryError" not in json.dumps(record)
        return
    assert record["kind"] == "error", record
    assert record["line"] == number
    assert expected in record["error"], record["error"]
    assert len(json.dumps(record)) < 2000  # an error record never echoes the 10 MB line back


def test_error_records_name_the_item_when_they_can(hostile_records) -> None:
    by_line = {i + 1: r for i, r in enumerate(hostile_records)}
    assert by_line[3]["subject"] == {"kind": "post", "id": "wrong-text"}
    assert by_line[16]["subject"] == {"kind": "post", "id": "long-text"}


def test_lone_surrogates_are_replaced_not_fatal(hostile_records) -> None:
    decision = next(r for r in hostile_records if r.get("subject", {}).get("id") == "surrogate")
    for sig in decision["signals"]:  # whatever a detector echoes is valid text
        json.dumps(sig, ensure_ascii=False).encode("utf-8")


def test_unreadable_media_is_noted_on_the_decision(hostile_records, emitted_detectors) -> None:
    if "aigc" not in emitted_detectors:
        pytest.skip("the aigc detector (the media reader's user) is not in this tree yet")
    for record in hostile_records:
        pid = record.get("subject", {}).get("id")
        if pid in MEDIA_POSTS:
            # the user and the reviewer are told which file could not be checked; it never passes silently
            assert MEDIA_POSTS[pid] in json.dumps(record, ensure_ascii=False), (pid, record)
            assert record["verdict"] != "allow" or record["signals"], (pid, record)


def test_empty_file_gives_no_records_and_no_error(brightline, tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    run = brightline("screen", path)
    assert run.returncode == 0
    assert run.stdout == ""
    assert "Screened 0 item" in run.stderr


def test_utf16_input_is_named_as_such(brightline, tmp_path: Path) -> None:
    path = tmp_path / "utf16.jsonl"
    path.write_bytes(_post("p1", text="你好").encode("utf-16"))
    run = brightline("screen", path, "-q")
    assert run.returncode == 0
    assert "UTF-16" in run.records[0]["error"] and run.records[0]["line"] == 1


def test_a_utf8_byte_order_mark_is_tolerated(brightline, tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + _post("p1", text="你好").encode("utf-8") + b"\n")
    run = brightline("screen", path, "-q")
    assert run.records[0]["subject"] == {"kind": "post", "id": "p1"}


def test_crlf_line_endings_are_fine(brightline, tmp_path: Path) -> None:
    path = tmp_path / "crlf.jsonl"
    path.write_bytes((_post("p1") + "\r\n" + _post("p2") + "\r\n").encode("utf-8"))
    run = brightline("screen", path, "-q")
    assert [r["subject"]["id"] for r in run.records] == ["p1", "p2"]


def test_strict_exits_nonzero_after_writing_everything(brightline, jsonl_file) -> None:
    run = brightline("screen", jsonl_file([{"kind": "post", "id": "p1"}, "oops", {"kind": "post", "id": "p2"}]),
                     "-q", "--strict")
    assert run.returncode == 1
    assert [r.get("kind") for r in run.records] == [None, "error", None]


@pytest.mark.parametrize("target", ["missing.jsonl", "."])
def test_an_input_that_is_not_a_file_is_a_usage_error(brightline, tmp_path: Path, target: str) -> None:
    run = brightline("screen", tmp_path / target)
    assert run.returncode == 2
    assert "does not exist or is not a file" in run.stderr


# --- properties: whatever a platform sends, ingest answers with an item or an error record, never an exception --

_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
_json_values = st.recursive(
    _scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=5,
)
_FIELDS = ("id", "text", "title", "media", "qualifications", "subject", "created_at", "declared_ai", "account_id",
           "display_name", "expires", "path", "kind", "reshare_of", "trusted_flagger")
_plausible = _scalars | st.sampled_from(["post", "account", "p1", "2027-01-01", "medical", "a.png"])
_extra = st.dictionaries(st.sampled_from(_FIELDS + ("url", "lang")), _plausible, max_size=3)


def _near(required: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Objects with the right keys and some unexpected ones: they reach validators a random dict never would."""
    return st.builds(lambda base, extra: {**extra, **base}, st.fixed_dictionaries(required), _extra)


_subject = _near({"kind": st.sampled_from(["post", "account", "report"]), "id": st.text(min_size=1, max_size=5)})
_media = _near({"path": st.text(max_size=10) | _plausible})
_qualification = _near({"domain": _plausible, "expires": _plausible})
_items = st.fixed_dictionaries(
    {"kind": st.sampled_from(["post", "account", "report"]), "id": st.text(min_size=1, max_size=8)},
    optional={
        **{f: _json_values for f in _FIELDS if f not in ("kind", "id")},
        "subject": _subject | _json_values,
        "media": st.lists(_media, max_size=2) | _json_values,
        "qualifications": st.lists(_qualification, max_size=2) | _json_values,
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.binary(max_size=300))
def test_any_bytes_give_an_item_or_an_error_record(raw: bytes) -> None:
    out = parse_line(raw.replace(b"\n", b" "), 7, "fuzz")
    assert isinstance(out, ErrorRecord) and out.line == 7 or out.kind in ("post", "account", "report")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(obj=_items)
def test_any_shape_of_item_gives_an_item_or_an_error_record(obj: dict[str, Any]) -> None:
    out = parse_object(obj, 3)
    assert isinstance(out, ErrorRecord) or out.kind == obj["kind"]
    text = json.dumps(out.to_dict() if isinstance(out, ErrorRecord) else out.model_dump(mode="json"), ensure_ascii=False)
    text.encode("utf-8")  # whatever comes out can be written
