"""The SPEC contract of ``brightline screen``, checked through the real CLI (tests outside the project rely on it).

One decision per input item in input order with exactly the SPEC fields and value domains; unknown fields
kept and ignored; optional fields defaulted; ``-o``; ``--policy NAME|FILE``; ``--lexicon/--entities/--claims``;
media paths relative to the input file; ``-`` for stdin.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from brightline.ingest import parse_object
from brightline.model import DETECTOR_NAMES, Post

VERDICTS = {"allow", "label", "restrict", "remove", "review"}
SPEC_FIELDS = {"subject", "verdict", "actions", "signals", "rules", "policy", "statement", "automated"}
#: Fields brightline adds beyond the SPEC example: capability J (distribution), C (qualifications shown),
#: and notes on detectors that could not finish (errors). Anything else is a contract break.
OPTIONAL_FIELDS = {"distribution", "qualifications", "errors"}
AIGC_BASES = {"implicit_label", "c2pa", "iptc", "generator_metadata", "watermark", "declaration", "visible_mark"}
CERTAINTIES = {"confirmed", "possible", "suspected"}
POLICY_REF = re.compile(r"^[A-Za-z0-9][\w.-]*@[\w.-]+$")


def check_decision(decision: dict[str, Any], item: dict[str, Any]) -> None:
    """Assert one decision has exactly the SPEC shape and points into ``item``'s original fields."""
    assert SPEC_FIELDS <= decision.keys(), f"missing {SPEC_FIELDS - decision.keys()}"
    extra = decision.keys() - SPEC_FIELDS - OPTIONAL_FIELDS
    assert not extra, f"fields outside the contract: {extra}"
    assert decision["subject"] == {"kind": item["kind"], "id": str(item["id"])}
    assert decision["verdict"] in VERDICTS
    assert isinstance(decision["automated"], bool)
    assert POLICY_REF.match(decision["policy"]), decision["policy"]
    assert isinstance(decision["statement"], str) and decision["statement"].strip()
    assert isinstance(decision["rules"], list) and all(isinstance(r, str) and r for r in decision["rules"])
    for action in decision["actions"]:
        assert isinstance(action, dict) and isinstance(action.get("type"), str) and action["type"], action
    if "distribution" in decision:
        assert set(decision["distribution"]) == {"recommendation", "prominent", "minors"}
        assert all(isinstance(v, bool) for v in decision["distribution"].values())
    for sig in decision["signals"]:
        assert set(sig) == {"detector", "score", "evidence"}, sig
        assert sig["detector"] in DETECTOR_NAMES, sig["detector"]
        assert isinstance(sig["score"], (int, float)) and 0 <= sig["score"] <= 1, sig
        ev = sig["evidence"]
        assert isinstance(ev, dict)
        if "span" in ev:
            field = ev.get("field", "text")
            original = item.get(field) or ""
            start, end = ev["span"]
            assert isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(original), (sig, field)
            if "excerpt" in ev:
                assert ev["excerpt"] == original[start:end], f"excerpt is not the original span: {sig}"
        if sig["detector"] == "aigc":
            assert ev.get("basis") in AIGC_BASES and ev.get("certainty") in CERTAINTIES, ev
        if sig["detector"] == "impersonation":
            assert ev.get("entity"), ev
        if sig["detector"] == "claims.debunked":
            assert ev.get("claim_id"), ev
        if sig["detector"] == "diversion.contact":
            assert ev.get("value"), ev
        if sig["detector"] == "lexicon":
            assert ev.get("term"), ev
        if sig["detector"] == "coordination.copypasta":
            assert "cluster_id" in ev and isinstance(ev.get("accounts"), list), ev


def decisions_of(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in records if r.get("kind") != "error"]


MIXED = [
    {"kind": "account", "id": "a1", "display_name": "小王", "handle": "xiaowang", "bio": "",
     "created_at": "2025-07-01T00:00:00Z", "qualifications": []},
    {"kind": "post", "id": "p1", "account_id": "a1", "text": "今天天气不错，去西湖走走。", "title": None,
     "created_at": "2025-07-24T10:00:00Z", "topic": None, "source": None, "declared_ai": False, "media": [],
     "reshare_of": None},
    {"kind": "report", "id": "r1", "reporter_id": "a1", "subject": {"kind": "post", "id": "p1"},
     "reason": "spam", "text": "广告"},
    {"kind": "post", "id": 42, "text": "numeric ids are common on platforms"},
    {"kind": "account", "id": "a2"},
]


# --- the shape of every decision -------------------------------------------------------------------------


def test_demo_gets_one_contract_decision_per_item_in_order(screened_demo) -> None:
    items, records, run = screened_demo
    assert run.returncode == 0, run.stderr
    assert len(records) == len(items)
    for item, record in zip(items, records):
        assert record.get("kind") != "error", record
        check_decision(record, item)
    assert {r["policy"] for r in records} == {"cn-cac-2025@1"}


def test_each_kind_gets_a_decision_in_input_order(brightline, jsonl_file) -> None:
    run = brightline("screen", jsonl_file(MIXED), "-q")
    assert run.returncode == 0, run.stderr
    assert [d["subject"] for d in run.records] == [
        {"kind": "account", "id": "a1"}, {"kind": "post", "id": "p1"}, {"kind": "report", "id": "r1"},
        {"kind": "post", "id": "42"}, {"kind": "account", "id": "a2"},
    ]
    for item, decision in zip(MIXED, run.records):
        check_decision(decision, item)
    assert run.records[1]["verdict"] == "allow"


def test_error_record_names_the_line_and_the_run_goes_on(brightline, jsonl_file) -> None:
    run = brightline("screen", jsonl_file([MIXED[1], '{"kind": "post", "id": ', MIXED[3]]), "-q")
    assert run.returncode == 0
    first, error, last = run.records
    assert first["subject"]["id"] == "p1" and last["subject"]["id"] == "42"
    assert error["kind"] == "error" and error["line"] == 2 and "JSON" in error["error"]
    assert set(error) <= {"kind", "error", "line", "source", "excerpt", "subject"}


# --- unknown and missing fields --------------------------------------------------------------------------


def test_unknown_fields_are_kept_and_ignored(brightline, jsonl_file) -> None:
    noisy = [
        {**MIXED[0], "verified": True, "followers": 12000, "profile": {"theme": "dark", "badges": [1, 2]}},
        {**MIXED[1], "lang": "zh", "stats": {"likes": 5}, "location": {"lat": 30.2, "lon": 120.1},
         "media": [], "x-platform-flags": ["pinned"]},
        {**MIXED[2], "subject": {"kind": "post", "id": "p1", "url": "https://example.org/p1"}, "channel": "app"},
        {**MIXED[3], "sensitive": None},
    ]
    plain, extra = brightline("screen", jsonl_file(MIXED[:4], "plain.jsonl"), "-q"), brightline(
        "screen", jsonl_file(noisy, "noisy.jsonl"), "-q"
    )
    assert plain.returncode == extra.returncode == 0
    assert extra.records == plain.records
    # kept: a platform's own fields survive parsing for whoever reads the item later
    post = parse_object(noisy[1])
    assert isinstance(post, Post) and post.model_extra["stats"] == {"likes": 5}


def test_missing_optional_fields_take_their_defaults(brightline, jsonl_file) -> None:
    minimal = [
        {"kind": "account", "id": "a1"},
        {"kind": "post", "id": "p1"},
        {"kind": "post", "id": "p2", "text": None, "media": None},
        {"kind": "report", "id": "r1", "subject": {"kind": "post", "id": "p1"}},
    ]
    run = brightline("screen", jsonl_file(minimal), "-q")
    assert run.returncode == 0, run.stderr
    assert [r.get("kind") for r in run.records] == [None] * 4, run.records
    for item, decision in zip(minimal, run.records):
        check_decision(decision, item)
    assert [d["verdict"] for d in run.records[1:3]] == ["allow", "allow"]
    spelled_out = {"kind": "post", "id": "p1", "account_id": None, "text": "", "title": None, "created_at": None,
                   "topic": None, "source": None, "declared_ai": False, "media": [], "reshare_of": None}
    again = brightline("screen", jsonl_file([spelled_out], "full.jsonl"), "-q")
    assert again.records == [run.records[1]]


# --- options -----------------------------------------------------------------------------------------------


def test_output_option_writes_the_decisions_to_a_file(brightline, jsonl_file, tmp_path: Path) -> None:
    src = jsonl_file(MIXED)
    out = tmp_path / "nested" / "dir" / "decisions.jsonl"
    to_file = brightline("screen", src, "-o", out)
    assert to_file.returncode == 0, to_file.stderr
    assert to_file.stdout == ""  # decisions go to the file; the summary goes to stderr
    assert "Screened 5 item" in to_file.stderr
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert written == brightline("screen", src, "-q").records


def test_policy_option_takes_a_bundled_pack_name(brightline, jsonl_file) -> None:
    run = brightline("screen", jsonl_file(MIXED), "--policy", "eu-dsa-aiact", "-q")
    assert run.returncode == 0, run.stderr
    assert {d["policy"] for d in run.records} == {"eu-dsa-aiact@1"}
    assert run.records[1]["statement"].isascii()  # the EU pack speaks English


CUSTOM_RULE = """
  - id: drill.review
    when: {item: {kind: post, topic: drill}}
    verdict: review
    actions: [{type: escalate_review}]
    statement: {en: "Fire-drill posts are reviewed by a person.", zh: "演练类内容需人工复核。"}
"""


@pytest.mark.parametrize("form", ["file", "folder"])
def test_policy_option_takes_a_pack_file_or_folder(brightline, jsonl_file, tmp_path: Path, form: str) -> None:
    pack_dir = tmp_path / "mypack"
    (pack_dir / "rules").mkdir(parents=True)
    head = "name: campus-safety\nversion: 7\nlanguage: en\ndefault_statement: {en: Nothing to do.}\n"
    if form == "file":
        (pack_dir / "campus.yaml").write_text(head + "rules:" + CUSTOM_RULE, encoding="utf-8")
        target = pack_dir / "campus.yaml"
    else:
        (pack_dir / "pack.yaml").write_text(head, encoding="utf-8")
        (pack_dir / "rules" / "drill.yaml").write_text(CUSTOM_RULE, encoding="utf-8")
        target = pack_dir
    items = [{"kind": "post", "id": "p1", "text": "明天上午十点消防演练", "topic": "drill"},
             {"kind": "post", "id": "p2", "text": "午饭吃什么"}]
    run = brightline("screen", jsonl_file(items), "--policy", target, "-q")
    assert run.returncode == 0, run.stderr
    drill, lunch = run.records
    assert drill["policy"] == "campus-safety@7"
    assert (drill["verdict"], drill["rules"]) == ("review", ["drill.review"])
    assert drill["actions"] == [{"type": "escalate_review"}]
    assert drill["statement"] == "Fire-drill posts are reviewed by a person."
    assert (lunch["verdict"], lunch["rules"], lunch["statement"]) == ("allow", [], "Nothing to do.")


def test_unknown_policy_is_a_clear_usage_error(brightline, jsonl_file) -> None:
    run = brightline("screen", jsonl_file(MIXED), "--policy", "no-such-pack")
    assert run.returncode == 2
    assert "no-such-pack" in run.stderr and "Traceback" not in run.stderr
    assert run.stdout == ""


def test_operator_files_are_accepted(brightline, jsonl_file, tmp_path: Path) -> None:
    lex, ent, claims = _operator_files(tmp_path)
    run = brightline("screen", jsonl_file(MIXED), "--lexicon", lex, "--entities", ent, "--claims", claims, "-q")
    assert run.returncode == 0, run.stderr
    assert len(run.records) == len(MIXED)


@pytest.mark.parametrize("option", ["--lexicon", "--entities", "--claims"])
def test_a_missing_operator_file_is_a_clear_error(brightline, jsonl_file, tmp_path: Path, option: str) -> None:
    run = brightline("screen", jsonl_file(MIXED), option, tmp_path / "nope.csv")
    assert run.returncode == 2, (run.returncode, run.stderr)
    assert "nope.csv" in run.stderr and "Traceback" not in run.stderr


def test_a_custom_lexicon_replaces_the_bundled_one(brightline, jsonl_file, tmp_path: Path, emitted_detectors) -> None:
    if "lexicon" not in emitted_detectors:
        pytest.skip("the lexicon detector is not in this tree yet")
    lex, _, _ = _operator_files(tmp_path)
    items = [{"kind": "post", "id": "p1", "text": "本店出售紫晶独角兽，欢迎咨询"},
             {"kind": "post", "id": "p2", "text": "代开发票，税点低"}]
    custom = brightline("screen", jsonl_file(items), "--lexicon", lex, "-q").records
    hits = [s for s in custom[0]["signals"] if s["detector"] == "lexicon"]
    assert hits and hits[0]["evidence"]["term"] == "紫晶独角兽"
    assert hits[0]["evidence"]["excerpt"] == "紫晶独角兽"
    assert not [s for s in custom[1]["signals"] if s["detector"] == "lexicon"]  # bundled terms no longer apply
    bundled = brightline("screen", jsonl_file(items), "-q").records
    assert [s for s in bundled[1]["signals"] if s["detector"] == "lexicon"]


def test_a_custom_entity_registry_is_used(brightline, jsonl_file, tmp_path: Path, emitted_detectors) -> None:
    if "impersonation" not in emitted_detectors:
        pytest.skip("the impersonation detector is not in this tree yet")
    _, ent, _ = _operator_files(tmp_path)
    items = [{"kind": "account", "id": "a1", "display_name": "星河市应急管理局官方", "handle": "xinghe_yj"}]
    run = brightline("screen", jsonl_file(items), "--entities", ent, "-q")
    hits = [s for s in run.records[0]["signals"] if s["detector"] == "impersonation"]
    assert hits and hits[0]["evidence"]["entity"] == "星河市应急管理局"


def test_a_custom_claim_registry_is_used(brightline, jsonl_file, tmp_path: Path, emitted_detectors) -> None:
    if "claims.debunked" not in emitted_detectors:
        pytest.skip("the claims detector is not in this tree yet")
    _, _, claims = _operator_files(tmp_path)
    items = [{"kind": "post", "id": "p1", "text": "紧急扩散：每天喝三杯柠檬水可以治愈糖尿病，不用再打胰岛素！",
              "created_at": "2025-08-01T00:00:00Z"}]
    run = brightline("screen", jsonl_file(items), "--claims", claims, "-q")
    hits = [s for s in run.records[0]["signals"] if s["detector"] == "claims.debunked"]
    assert hits and hits[0]["evidence"]["claim_id"] == "test-lemon-diabetes"


def _operator_files(folder: Path) -> tuple[Path, Path, Path]:
    lex = folder / "terms.csv"
    lex.write_text("term,category,severity\n紫晶独角兽,fraud,5\n", encoding="utf-8")
    ent = folder / "entities.csv"
    ent.write_text("name,type,aliases\n星河市应急管理局,government,星河应急管理局|Xinghe Emergency Management\n",
                   encoding="utf-8")
    claims = folder / "claims.jsonld"
    claims.write_text(json.dumps([{
        "@context": "https://schema.org", "@type": "ClaimReview", "@id": "test-lemon-diabetes",
        "claimReviewed": "每天喝柠檬水可以治愈糖尿病",
        "reviewRating": {"@type": "Rating", "alternateName": "谣言", "ratingValue": 1},
        "author": {"@type": "Organization", "name": "测试辟谣平台"},
        "url": "https://factcheck.example/lemon", "datePublished": "2024-03-01", "inLanguage": "zh",
    }], ensure_ascii=False), encoding="utf-8")
    return lex, ent, claims


# --- media paths and stdin ---------------------------------------------------------------------------------


def _labelled_png(path: Path) -> None:
    """A PNG carrying a GB 45438 implicit label in an iTXt chunk with keyword AIGC."""
    record = {"AIGC": {"Label": "1", "ContentProducer": "0011913301060000000X7K10001", "ProduceID": "T0001",
                       "ReservedCode1": "", "ContentPropagator": "0011913301060000000X7K10001",
                       "PropagateID": "T0001", "ReservedCode2": ""}}
    info = PngInfo()
    info.add_itxt("AIGC", json.dumps(record))
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (32, 32), (200, 30, 90)).save(path, pnginfo=info)


def test_media_paths_resolve_relative_to_the_input_file(
    brightline, jsonl_file, tmp_path: Path, emitted_detectors
) -> None:
    if "aigc" not in emitted_detectors:
        pytest.skip("the aigc detector is not in this tree yet")
    _labelled_png(tmp_path / "batch" / "img" / "cover.png")
    # A decoy at the same relative path under the working directory: resolving against the CWD would find an
    # unlabelled image and miss the label.
    cwd = tmp_path / "elsewhere"
    (cwd / "img").mkdir(parents=True)
    Image.new("RGB", (32, 32), (0, 0, 0)).save(cwd / "img" / "cover.png")
    post = {"kind": "post", "id": "p1", "text": "封面图", "media": [{"path": "img/cover.png"}]}
    src = jsonl_file([post], "batch/posts.jsonl")
    run = brightline("screen", src, "-q", cwd=cwd)
    assert run.returncode == 0, run.stderr
    assert _confirmed_label(run.records[0]), run.records[0]
    # The same line in a folder without the image finds no label (at most a note that the file is missing, and
    # never the decoy): the path really was taken from the input file.
    moved = jsonl_file([post], "other/posts.jsonl")
    run = brightline("screen", moved, "-q", cwd=cwd)
    assert run.returncode == 0, run.stderr
    assert not _confirmed_label(run.records[0])
    assert "elsewhere" not in json.dumps(run.records[0])


def _confirmed_label(decision: dict[str, Any]) -> bool:
    return any(
        s["detector"] == "aigc" and s["evidence"].get("basis") == "implicit_label"
        and s["evidence"].get("certainty") == "confirmed"
        for s in decision["signals"]
    )


def test_dash_reads_stdin(brightline, brightline_process, jsonl_file) -> None:
    src = jsonl_file(MIXED + ["not json"])
    from_stdin = brightline_process("screen", "-", "-q", stdin=src.read_bytes())  # a real pipe
    assert from_stdin.returncode == 0, from_stdin.stderr
    from_file = brightline("screen", src, "-q")
    def without_source(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in r.items() if k != "source"} for r in records]  # error records name the file

    assert without_source(from_stdin.records) == without_source(from_file.records)
    assert from_stdin.records[-1]["kind"] == "error" and from_stdin.records[-1]["line"] == 6
