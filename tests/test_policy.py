"""Policy packs: rules are validated when loaded and turn signals into explained decisions."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from brightline.errors import PolicyError
from brightline.model import Post, Signal
from brightline.policy import available_packs, load_pack


def write_pack(folder: Path, rules: str, tests: str | None = None, language: str = "en") -> Path:
    (folder / "rules").mkdir(parents=True)
    (folder / "pack.yaml").write_text(
        f"name: t-pack\nversion: 3\nlanguage: {language}\ndefault_statement: {{en: nothing to see}}\n", encoding="utf-8"
    )
    (folder / "rules" / "main.yaml").write_text(textwrap.dedent(rules), encoding="utf-8")
    if tests is not None:
        (folder / "tests").mkdir()
        (folder / "tests" / "cases.yaml").write_text(textwrap.dedent(tests), encoding="utf-8")
    return folder


RULES = """
- id: contact.restrict
  when: {signal: {detector: diversion.contact, min_score: 0.8}}
  verdict: restrict
  actions: [{type: exclude_from_recommendation}]
  statement: {en: "Contact {value} found.", zh: "发现联系方式 {value}。"}
- id: lexicon.remove
  when: {signal: {detector: lexicon, evidence: {severity: [5]}}}
  verdict: remove
  statement: {en: "Forbidden term {term}."}
- id: ai.label
  when:
    all:
      - {signal: {detector: aigc, evidence: {certainty: confirmed}}}
      - {item: {declared_ai: false}}
  verdict: label
  actions: [{type: label, label: ai_generated, certainty: "{certainty}", text: AI-generated}]
  statement: {en: "Labelled as AI-generated ({basis})."}
"""


def test_bundled_packs_load_and_name_their_version() -> None:
    names = available_packs()
    assert {"cn-cac-2025", "eu-dsa-aiact"} <= set(names)
    for name in names:
        pack = load_pack(name)
        assert pack.ref == f"{pack.name}@{pack.version}"


def test_most_severe_verdict_wins_and_every_fired_rule_is_named(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path / "p", RULES))
    post = Post(id="p1", text="x")
    signals = [
        Signal("diversion.contact", 0.95, {"value": "wx:abc12345"}),
        Signal("lexicon", 0.9, {"term": "bad", "severity": 5}),
    ]
    d = pack.decide(post.ref, post, signals)
    assert d.verdict == "remove"
    assert d.rules == ["contact.restrict", "lexicon.remove"]
    assert d.policy == "t-pack@3"
    assert "Contact wx:abc12345 found." in d.statement and "Forbidden term bad." in d.statement
    # remove takes the item out of every distribution surface
    assert d.distribution.to_dict() == {"recommendation": False, "prominent": False, "minors": False}


def test_min_score_and_evidence_filters_keep_weak_signals_from_firing(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path / "p", RULES))
    post = Post(id="p1")
    d = pack.decide(post.ref, post, [Signal("diversion.contact", 0.5, {}), Signal("lexicon", 1.0, {"severity": 3})])
    assert d.verdict == "allow" and d.rules == []
    assert d.statement == "nothing to see"
    # signals are still reported so a reviewer sees them
    assert [s.detector for s in d.signals] == ["diversion.contact", "lexicon"]


def test_item_conditions_and_templated_actions(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path / "p", RULES))
    sig = Signal("aigc", 1.0, {"certainty": "confirmed", "basis": "implicit_label"})
    undeclared = Post(id="p1", declared_ai=False)
    d = pack.decide(undeclared.ref, undeclared, [sig])
    assert d.verdict == "label"
    assert d.actions[0].to_dict() == {"type": "label", "label": "ai_generated", "certainty": "confirmed", "text": "AI-generated"}
    assert d.distribution.recommendation is True
    declared = Post(id="p2", declared_ai=True)
    assert pack.decide(declared.ref, declared, [sig]).verdict == "allow"


def test_statement_in_pack_language(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path / "p", RULES, language="zh"))
    post = Post(id="p1")
    d = pack.decide(post.ref, post, [Signal("diversion.contact", 0.9, {"value": "13800138000"})])
    assert d.statement == "发现联系方式 13800138000。"


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ("- id: r1\n  when: {signal: {detector: nosuch}}\n  verdict: remove\n", "unknown detector 'nosuch'"),
        ("- id: r2\n  when: {signal: {detector: lexicon}}\n  verdict: obliterate\n", "verdict must be one of"),
        ("- id: r3\n  when: {signal: {detector: lexicon}}\n  actions: [{type: explode}]\n", "unknown action type 'explode'"),
        ("- id: r4\n  when: {}\n", "needs at least one of"),
        ("- id: r5\n  when: {signal: {detector: lexicon}\n", "broken YAML"),
    ],
)
def test_broken_rules_fail_at_load_naming_file_and_rule(tmp_path: Path, rules: str, message: str) -> None:
    folder = write_pack(tmp_path / "p", rules)
    with pytest.raises(PolicyError) as exc:
        load_pack(folder)
    assert message in str(exc.value)
    assert "main.yaml" in str(exc.value)


def test_duplicate_rule_ids_are_rejected(tmp_path: Path) -> None:
    rule = "- id: same\n  when: {signal: {detector: lexicon}}\n"
    with pytest.raises(PolicyError, match="defined twice"):
        load_pack(write_pack(tmp_path / "p", rule + rule))


def test_unknown_pack_name_lists_the_bundled_ones() -> None:
    with pytest.raises(PolicyError, match="cn-cac-2025"):
        load_pack("no-such-pack")


def _policy_test(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "brightline", "policy", "test", "--policy", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_policy_test_command_fails_on_a_wrong_expectation(tmp_path: Path) -> None:
    cases = """
    - name: plain text is allowed
      item: {kind: post, id: p1, text: "hello world"}
      expect: {verdict: remove}
    """
    result = _policy_test(write_pack(tmp_path / "p", RULES, cases))
    assert result.returncode == 1
    assert "verdict is 'allow', expected 'remove'" in result.stderr
    assert "0 passed, 1 failed" in result.stderr


def test_policy_test_command_passes_matching_expectations(tmp_path: Path) -> None:
    cases = """
    - name: plain text is allowed
      item: {kind: post, id: p1, text: "hello world"}
      expect: {verdict: allow, not_rules: [lexicon.remove], distribution: {recommendation: true}}
    """
    result = _policy_test(write_pack(tmp_path / "p", RULES, cases))
    assert result.returncode == 0, result.stderr
    assert "1 passed, 0 failed" in result.stderr


@pytest.mark.parametrize("pack", ["cn-cac-2025", "eu-dsa-aiact"])
def test_bundled_pack_cases_pass(pack: str) -> None:
    folder = load_pack(pack).tests_dir
    assert folder is not None and len(list(folder.glob("*.yaml"))) >= 5, f"{pack} ships too few case files"
    result = _policy_test(load_pack(pack).path)  # type: ignore[arg-type]
    assert result.returncode == 0, result.stderr
    assert " 0 failed" in result.stderr


def test_policy_test_rejects_a_broken_ladder(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p", RULES, "- name: x\n  item: {kind: post, id: p1}\n  expect: {verdict: allow}\n")
    with (folder / "pack.yaml").open("a", encoding="utf-8") as fh:
        fh.write("ladder:\n  steps:\n    - name: warning\n      at: lots\n")
    result = _policy_test(folder)
    assert result.returncode == 2
    assert "ladder" in result.stderr and "steps.0.at" in result.stderr
