"""Pack test cases: each pack ships ``tests/*.yaml`` with items and the decisions they must produce.

A case::

    - name: WeChat handle written with a homophone
      items: [{kind: account, id: a1, display_name: 小王}]   # optional: screened first, as context
      item: {kind: post, id: p1, account_id: a1, text: "加我薇❤ abc12345"}
      expect:
        verdict: restrict                    # exact verdict
        rules: [diversion.contact.restrict]  # each must have fired
        not_rules: [lexicon.remove]          # none may have fired
        detectors: [diversion.contact]       # each must have raised a signal
        not_detectors: [lexicon]
        actions: [exclude_from_recommendation]
        distribution: {recommendation: false}
        evidence: {diversion.contact: {value: abc12345}}   # some signal of that detector has these fields
        statement_contains: 联系方式
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from brightline.errors import PolicyError
from brightline.ingest import parse_object
from brightline.model import Decision, ErrorRecord

if TYPE_CHECKING:
    from brightline.engine import Engine

_EXPECT_KEYS = {
    "verdict", "rules", "not_rules", "detectors", "not_detectors", "actions", "not_actions",
    "distribution", "evidence", "statement_contains",
}


@dataclass
class CaseResult:
    file: str
    name: str
    failures: list[str] = field(default_factory=list)
    decision: dict[str, Any] | None = None

    @property
    def passed(self) -> bool:
        return not self.failures


def load_cases(path: Path) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PolicyError(f"{path}: broken YAML: {exc}") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise PolicyError(f"{path}: expected a list of test cases")
    for n, case in enumerate(data, start=1):
        if not isinstance(case, dict) or "item" not in case or "expect" not in case:
            raise PolicyError(f"{path}: case #{n} needs 'item' and 'expect'")
        unknown = set(case["expect"]) - _EXPECT_KEYS
        if unknown:
            raise PolicyError(f"{path}: case {case.get('name', n)!r}: unknown expect key(s) {', '.join(sorted(unknown))}")
    return data


def check(decision: Decision, expect: dict[str, Any]) -> list[str]:
    """Compare a decision with a case's expectations; return what differs, in words."""
    d = decision.to_dict()
    problems: list[str] = []
    fired = set(decision.rules)
    detectors = {s.detector for s in decision.signals}
    action_types = {a.type for a in decision.actions}
    if "verdict" in expect and d["verdict"] != expect["verdict"]:
        problems.append(f"verdict is {d['verdict']!r}, expected {expect['verdict']!r}")
    for r in expect.get("rules", []):
        if r not in fired:
            problems.append(f"rule {r!r} did not fire (fired: {sorted(fired) or 'none'})")
    for r in expect.get("not_rules", []):
        if r in fired:
            problems.append(f"rule {r!r} fired but must not")
    for det in expect.get("detectors", []):
        if det not in detectors:
            problems.append(f"no {det!r} signal (signals: {sorted(detectors) or 'none'})")
    for det in expect.get("not_detectors", []):
        if det in detectors:
            problems.append(f"unexpected {det!r} signal")
    for a in expect.get("actions", []):
        if a not in action_types:
            problems.append(f"no {a!r} action (actions: {sorted(action_types) or 'none'})")
    for a in expect.get("not_actions", []):
        if a in action_types:
            problems.append(f"unexpected {a!r} action")
    for surface, value in (expect.get("distribution") or {}).items():
        if d["distribution"].get(surface) != value:
            problems.append(f"distribution.{surface} is {d['distribution'].get(surface)}, expected {value}")
    for det, fields in (expect.get("evidence") or {}).items():
        sigs = [s for s in decision.signals if s.detector == det]
        if not any(all(s.evidence.get(k) == v for k, v in fields.items()) for s in sigs):
            got = [s.evidence for s in sigs]
            problems.append(f"no {det!r} signal with evidence {fields} (got {got or 'none'})")
    text = expect.get("statement_contains")
    if text and text not in d["statement"]:
        problems.append(f"statement lacks {text!r}: {d['statement']!r}")
    return problems


def run_cases(engine: Engine, files: list[Path]) -> list[CaseResult]:
    """Run every case of every file through the engine; each case starts with no known accounts."""
    results: list[CaseResult] = []
    for path in files:
        for n, case in enumerate(load_cases(path), start=1):
            name = str(case.get("name") or f"case {n}")
            result = CaseResult(file=path.name, name=name)
            engine.accounts.clear()
            for ctx in case.get("items") or []:
                parsed = parse_object(ctx)
                if isinstance(parsed, ErrorRecord):
                    result.failures.append(f"context item is invalid: {parsed.error}")
                    continue
                engine.screen(parsed, base_path=path.parent)
            parsed = parse_object(case["item"])
            if isinstance(parsed, ErrorRecord):
                result.failures.append(f"item is invalid: {parsed.error}")
            else:
                decision = engine.screen(parsed, base_path=path.parent)
                result.decision = decision.to_dict()
                result.failures.extend(check(decision, case["expect"]))
            results.append(result)
    engine.accounts.clear()
    return results


def pack_case_files(engine: Engine) -> list[Path]:
    tests = engine.pack.tests_dir
    return sorted(tests.glob("*.yaml")) if tests else []
