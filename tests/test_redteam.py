"""Red-team harness: evasion variants are what they claim to be, seeds load with clear errors, and the harness
measures recall honestly (a miss is a miss, a carrier that fires by itself is refused)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from brightline.cli import app
from brightline.engine import Engine
from brightline.errors import BrightlineError
from brightline.model import Post
from brightline.redteam import DEFAULT_CONTACTS, EVASION_TYPES, Seed, load_seeds, make_variant, run_redteam
from brightline.redteam import harness
from brightline.text.variants import syllable_classes

WECHAT = Seed("contact", "abc12345", "wechat")
PHONE = Seed("contact", "13800138000", "phone")
TERM = Seed("term", "网赌")


def variant(seed: Seed, evasion: str, rng: int = 1) -> str | None:
    v = make_variant(seed, evasion, random.Random(rng))
    return v.text if v else None


def test_chinese_numerals_spell_every_digit_of_the_number() -> None:
    text = variant(PHONE, "chinese_numerals")
    assert text is not None and not any(c.isdigit() and c.isascii() for c in text.split("：")[-1])
    numerals = set("零〇一幺二两三四五六七八九壹贰叁肆伍陆柒捌玖")
    assert sum(c in numerals for c in text) == 11


def test_circled_digits_and_zero_width_keep_the_digits_recoverable() -> None:
    circled = variant(PHONE, "circled_digits")
    assert circled is not None and not any("0" <= c <= "9" for c in circled)
    zw = variant(PHONE, "zero_width")
    assert zw is not None and "\u200b" in zw or "\u200c" in zw or "\u200d" in zw or "\u2060" in zw or "\ufeff" in zw
    assert "".join(c for c in zw if c.isdigit()) == "13800138000"


def test_homophone_term_swaps_a_character_for_one_with_the_same_syllable() -> None:
    text = variant(TERM, "homophone", rng=3)
    assert text is not None and len(text) == 2 and text != "网赌"
    classes = syllable_classes()
    assert [classes[ord(c)] for c in text] == [classes[ord(c)] for c in "网赌"]


def test_cue_evasions_rewrite_the_channel_name_not_the_handle() -> None:
    assert variant(WECHAT, "pinyin").split()[-1].endswith("abc12345")
    assert any(cue in variant(WECHAT, "initials", rng) for rng in range(5) for cue in ("vx", "wx"))
    assert "亻言" in variant(WECHAT, "split_characters")
    leet = variant(Seed("contact", "+447700900123", "whatsapp"), "leet")
    assert leet is not None and any(c in "4301" for c in leet.split(":")[0].split("：")[0])


def test_homoglyph_puts_cyrillic_letters_into_a_latin_handle() -> None:
    text = variant(WECHAT, "homoglyph")
    assert text is not None and any("\u0400" <= c <= "\u04ff" for c in text)


def test_an_evasion_that_does_not_apply_returns_none() -> None:
    assert variant(TERM, "leet") is None  # a Chinese term has no leetspeak
    assert variant(WECHAT, "chinese_numerals") is None  # a letters-and-digits id is not spoken as numerals
    assert variant(Seed("contact", "bocai888.com", "url"), "pinyin") is None
    with pytest.raises(ValueError, match="unknown evasion"):
        make_variant(TERM, "teleportation", random.Random(1))


def test_mixed_changes_both_the_channel_name_and_the_value() -> None:
    for rng in range(5):
        text = variant(WECHAT, "mixed", rng)
        assert text is not None and "abc12345" not in text and "微信" not in text


def test_the_same_rng_seed_gives_the_same_variants() -> None:
    a = [variant(s, e, 9) for s in (WECHAT, PHONE, TERM) for e in EVASION_TYPES]
    b = [variant(s, e, 9) for s in (WECHAT, PHONE, TERM) for e in EVASION_TYPES]
    assert a == b and len({x for x in a if x}) > 20


def test_seeds_load_from_jsonl_and_csv(tmp_path: Path) -> None:
    jl = tmp_path / "s.jsonl"
    jl.write_text('# comment\n{"kind":"term","value":"网赌"}\n\n{"kind":"contact","channel":"QQ","value":"28739347"}\n',
                  encoding="utf-8")
    assert load_seeds(jl) == [Seed("term", "网赌"), Seed("contact", "28739347", "qq")]
    cv = tmp_path / "s.csv"
    cv.write_text("kind,value,channel\ncontact,t.me/abc,url\nterm,casino bonus,\n", encoding="utf-8")
    assert load_seeds(cv) == [Seed("contact", "t.me/abc", "url"), Seed("term", "casino bonus")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"kind":"term","value":"ok"}\nnot json\n', ":2: not JSON"),
        ('{"kind":"contact","value":"x1","channel":"fax"}\n', "channel must be one of"),
        ('{"kind":"spell","value":"x"}\n', "kind must be"),
        ("", "no seeds"),
    ],
)
def test_bad_seeds_file_names_the_problem_and_line(tmp_path: Path, content: str, message: str) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(BrightlineError, match=message):
        load_seeds(p)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine("cn-cac-2025")


def test_diversion_recall_on_the_bundled_contacts_meets_the_target(engine: Engine) -> None:
    report = run_redteam(engine, list(DEFAULT_CONTACTS), per_seed=2, rng_seed=1)
    assert report.overall.total > 250
    for det in ("diversion.contact", "diversion.link"):
        assert report.per_detector[det].recall >= 0.95, (det, report.misses[:5])
    evasions = {ev for (det, ev) in report.per_evasion if det == "diversion.contact"}
    assert set(EVASION_TYPES) - {"spelled_dot"} <= evasions | {"spelled_dot"}
    assert {"homophone", "chinese_numerals", "circled_digits", "zero_width", "homoglyph", "mixed"} <= evasions


def test_overall_recall_on_all_bundled_seeds_meets_the_spec_target(engine: Engine) -> None:
    # SPEC: red-team variants recall >= 0.90, lexicon terms included.
    report = run_redteam(engine, per_seed=1, rng_seed=1)
    assert report.skipped == [] and report.overall.total > 500
    assert report.overall.recall >= 0.90, (report.to_dict()["detectors"], report.misses[:5])


def test_an_undetectable_seed_counts_as_a_miss(engine: Engine) -> None:
    # A five-digit "phone number" is not a phone number: every variant must be counted as missed.
    report = run_redteam(engine, [Seed("contact", "12345", "phone")], per_seed=2, evasions=("fullwidth", "zero_width"))
    assert report.overall.total == 4 and report.overall.caught == 0
    assert report.misses and report.misses[0].seed == "12345"


def test_a_signal_recovering_something_else_is_not_a_catch(engine: Engine) -> None:
    signals = engine.screen(Post(id="x", text="微信：13800138000")).signals
    assert harness._caught(Seed("contact", "13800138000", "wechat"), signals)[0]
    hit, got = harness._caught(Seed("contact", "13800138001", "wechat"), signals)
    assert not hit and got == ["diversion.contact:13800138000"]


def test_detectors_not_enabled_are_reported_as_skipped() -> None:
    only_diversion = Engine("cn-cac-2025", detectors=["diversion"])
    report = run_redteam(only_diversion, [TERM, WECHAT], per_seed=1, evasions=("fullwidth",))
    assert report.skipped == ["lexicon"] and set(report.per_detector) == {"diversion.contact"}


def test_a_carrier_that_fires_by_itself_is_refused(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(harness, "CARRIERS_ZH", harness.CARRIERS_ZH + ("加我微信 zz998877 {x}",))
    with pytest.raises(BrightlineError, match="fires diversion.contact by itself"):
        run_redteam(engine, [WECHAT], per_seed=1, evasions=("fullwidth",))


runner = CliRunner()


def test_cli_prints_json_and_exits_zero_above_the_threshold(tmp_path: Path) -> None:
    seeds = tmp_path / "s.jsonl"
    seeds.write_text('{"kind":"contact","channel":"qq","value":"28739347"}\n', encoding="utf-8")
    result = runner.invoke(app, ["redteam", "--seeds", str(seeds), "--per-seed", "1", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["overall"]["recall"] >= 0.9 and "diversion.contact" in data["detectors"]
    assert {row["evasion"] for row in data["evasions"]} >= {"homophone", "circled_digits", "chinese_numerals"}


def test_cli_table_and_exit_one_below_min_recall(tmp_path: Path) -> None:
    seeds = tmp_path / "s.csv"
    seeds.write_text("kind,value,channel\ncontact,12345,phone\n", encoding="utf-8")
    result = runner.invoke(app, ["redteam", "--seeds", str(seeds), "--per-seed", "1", "--evasion", "fullwidth"])
    assert result.exit_code == 1
    assert "fullwidth" in result.stdout and "overall recall 0.000" in result.stdout


def test_cli_bad_input_exits_two(tmp_path: Path) -> None:
    bad = tmp_path / "s.jsonl"
    bad.write_text('{"kind":"contact","value":"x"}\n', encoding="utf-8")
    assert runner.invoke(app, ["redteam", "--seeds", str(bad)]).exit_code == 2
    assert runner.invoke(app, ["redteam", "--evasion", "nope"]).exit_code == 2
