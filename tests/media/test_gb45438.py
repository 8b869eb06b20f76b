"""GB 45438 Annex E record parsing and the compliant/noncompliant/not_found/inconclusive findings."""

from __future__ import annotations

import json

from brightline.media.gb45438 import assess, is_provider_code, parse_record
from .fixtures import PRODUCER, record


def test_wrapped_and_bare_records_read_the_same() -> None:
    wrapped = parse_record(record(), "x")
    bare = parse_record(record(wrapped=False), "y")
    assert wrapped.wrapped and not bare.wrapped
    assert wrapped.fields == bare.fields
    assert wrapped.label == "1" and not wrapped.problems
    assert assess([wrapped]).status == "compliant"


def test_reserve_code_misspelling_is_tolerated_with_a_warning() -> None:
    raw = json.dumps({"Label": "1", "ContentProducer": PRODUCER, "ProduceID": "p1", "ReserveCode1": "iflow",
                      "ContentPropagator": PRODUCER, "PropagateID": "p1", "ReserveCode2": ""})
    rec = parse_record(raw, "md")
    assert rec.fields["ReservedCode1"] == "iflow"
    finding = assess([rec])
    assert finding.status == "compliant"
    assert finding.record is not None and finding.record["ReservedCode1"] == "iflow"
    assert any("ReserveCode1" in w for w in finding.warnings)


def test_label_must_be_a_string_from_the_enum() -> None:
    numeric = assess([parse_record(json.dumps({"AIGC": {"Label": 1, "ContentProducer": PRODUCER,
                                                          "ProduceID": "p"}}), "c")])
    assert numeric.status == "noncompliant"
    assert any("Label must be a JSON string" in r for r in numeric.reasons)
    bad = assess([parse_record(record(label="4"), "c")])
    assert bad.status == "noncompliant" and any('"4"' in r for r in bad.reasons)


def test_required_fields_and_charset() -> None:
    missing = assess([parse_record(record(ProduceID=None), "c")])
    assert missing.status == "noncompliant"
    assert "required field ProduceID is missing" in missing.reasons
    chinese = assess([parse_record(record(ContentProducer="某某科技有限公司"), "c")])
    assert chinese.status == "noncompliant"
    assert any("ContentProducer contains '某'" in r and "Annex E j)" in r for r in chinese.reasons)
    space = assess([parse_record(record(ProduceID="id 1"), "c")])
    assert any("U+0020" in r for r in space.reasons)


def test_producer_code_shape_is_only_a_warning() -> None:
    assert is_provider_code(PRODUCER)
    assert not is_provider_code("001191330101MA27WPYJ18xliu")
    finding = assess([parse_record(record(ContentProducer="ACME-AI", ContentPropagator="ACME-AI"), "c")])
    assert finding.status == "compliant"
    assert any("not a 27-character provider code" in w for w in finding.warnings)


def test_one_record_per_file() -> None:
    same = assess([parse_record(record(), "a"), parse_record(record(wrapped=False), "b")])
    assert same.status == "compliant" and any("same label appears in 2 carriers" in w for w in same.warnings)
    differ = assess([parse_record(record(), "a"), parse_record(record(ProduceID="other"), "b")])
    assert differ.status == "noncompliant"
    assert any("disagree" in r for r in differ.reasons)
    assert differ.record is not None  # they agree on the Label, so the file still says "1"
    conflict = assess([parse_record(record(label="1"), "a"), parse_record(record(label="3"), "b")])
    assert conflict.status == "noncompliant" and conflict.record is None


def test_unparseable_values_and_empty_files() -> None:
    broken = assess([parse_record('{"AIGC":{"Label":"1",', "c")])
    assert broken.status == "noncompliant" and broken.record is None
    assert any("not valid JSON" in r for r in broken.reasons)
    assert assess([]).status == "not_found"
    assert assess([], complete=False).status == "inconclusive"
    assert assess([], unsupported=True).status == "inconclusive"


def test_half_filled_propagator_pair_is_a_defect() -> None:
    finding = assess([parse_record(record(PropagateID=""), "c")])
    assert finding.status == "noncompliant"
    assert any("PropagateID is empty" in r for r in finding.reasons)
