"""GB 45438-2025 implicit label: the Annex E record, how to parse it leniently and how to judge it strictly.

Facts (reference/aigc-labelling.md §1.4, §1.5, §1.9):
- The value is a JSON string with seven keys in this order: ``Label``, ``ContentProducer``, ``ProduceID``,
  ``ReservedCode1``, ``ContentPropagator``, ``PropagateID``, ``ReservedCode2`` — wrapped as
  ``{"AIGC":{…}}`` (Annex E b), EXIF/PNG tEXt practice) or bare (XMP ``TC260:AIGC``, MP4 key, OOXML): accept both.
- ``Label`` is a string: "1" is AI-generated (属于), "2" possibly (可能为), "3" suspected (疑似为).
- Values should consist of GB 18030 code points 0x21, 0x23–0x5B, 0x5D–0x7E and ``\\"`` (Annex E j).
- One label per file (6.1 c)); the ``ReserveCode1/2`` misspelling occurs in the wild and is tolerated.
- Provider codes (网安秘字〔2025〕29号): 27 upper-case letters or digits, ``00`` + 20-char subject + 5-char
  service extension. ContentProducer may also be a name, so a code-shape mismatch is only a warning.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

#: The Annex E keys, in the standard's order.
FIELDS: tuple[str, ...] = (
    "Label",
    "ContentProducer",
    "ProduceID",
    "ReservedCode1",
    "ContentPropagator",
    "PropagateID",
    "ReservedCode2",
)
#: Keys a record must fill (the production elements of 6.1 a)).
REQUIRED: tuple[str, ...] = ("Label", "ContentProducer", "ProduceID")
#: Misspellings seen in real files, mapped to the standard key.
ALIASES: dict[str, str] = {"ReserveCode1": "ReservedCode1", "ReserveCode2": "ReservedCode2"}
#: Label values and what each asserts about the content.
LABELS: dict[str, str] = {"1": "AI-generated (属于)", "2": "possibly AI-generated (可能为)",
                          "3": "suspected AI-generated (疑似为)"}

Status = Literal["compliant", "noncompliant", "not_found", "inconclusive"]

_PRODUCER_CODE = re.compile(r"00[0-9A-Z]{25}")
# Annex E j): printable ASCII except space and backslash; '"' is allowed because it appears as \" in the JSON.
_BAD_CHAR = re.compile(r'[^\x21-\x5b\x5d-\x7e]')


@dataclass
class LabelRecord:
    """One parsed Annex E record as found in one carrier.

    ``fields`` holds the values under their standard names (aliases resolved); ``problems`` are defects that
    make the record noncompliant; ``warnings`` are deviations that do not.
    """

    carrier: str
    fields: dict[str, Any]
    wrapped: bool
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    raw: str = ""

    @property
    def label(self) -> str | None:
        """The ``Label`` value if it is one of the standard strings, else None."""
        value = self.fields.get("Label")
        return value if isinstance(value, str) and value in LABELS else None

    def canonical(self) -> dict[str, Any]:
        """The seven standard keys in order (missing ones absent), plus any unknown keys after them."""
        out = {k: self.fields[k] for k in FIELDS if k in self.fields}
        out.update({k: v for k, v in self.fields.items() if k not in out})
        return out


@dataclass
class Finding:
    """The GB 45438 verdict on a whole file.

    ``status``: compliant (one valid record), noncompliant (a record with defects, or disagreeing duplicates),
    not_found (no record and the file was read completely), inconclusive (no record, but the file could not be
    read completely or its format is not supported). ``reasons`` say why it is not compliant; ``warnings``
    list deviations that do not decide the status; ``record`` is the record that counts, in canonical form.
    """

    status: Status
    reasons: list[str] = field(default_factory=list)
    record: dict[str, Any] | None = None
    carrier: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {"status": self.status, "reasons": list(self.reasons), "warnings": list(self.warnings),
                "record": self.record, "carrier": self.carrier}


def _decode(value: bytes | str) -> str:
    if isinstance(value, bytes):
        for enc in ("utf-8", "gb18030"):
            try:
                return value.decode(enc)
            except UnicodeDecodeError:
                continue
        return value.decode("latin-1")
    return value


def parse_record(value: bytes | str | dict[str, Any], carrier: str) -> LabelRecord:
    """Parse one carrier's value into a :class:`LabelRecord`; never raises.

    Accepts a JSON string (wrapped or bare, with trailing NULs or whitespace, a doubly JSON-encoded string)
    or an already-decoded mapping (Markdown front matter). Defects land in ``problems``.
    """
    problems: list[str] = []
    warnings: list[str] = []
    raw = ""
    if isinstance(value, dict):
        obj: Any = value
    else:
        raw = _decode(value).strip("\x00 \t\r\n\ufeff")
        try:
            obj = json.loads(raw)
        except ValueError as exc:
            return LabelRecord(carrier, {}, False, [f"value is not valid JSON ({exc.msg} at char {exc.pos})"],
                               raw=raw[:500])
        if isinstance(obj, str):
            # Some writers JSON-encode the JSON string once more; unwrap one level and say so.
            try:
                obj = json.loads(obj)
                warnings.append("value is a JSON-encoded string of the record (double encoding)")
            except ValueError:
                return LabelRecord(carrier, {}, False, ["value is a JSON string, not a JSON object"], raw=raw[:500])
    if not isinstance(obj, dict):
        return LabelRecord(carrier, {}, False, [f"value is a JSON {type(obj).__name__}, not an object"],
                           raw=raw[:500])
    wrapped = False
    if "AIGC" in obj and isinstance(obj["AIGC"], dict):
        wrapped = True
        extra = [k for k in obj if k != "AIGC"]
        if extra:
            warnings.append(f"keys beside the AIGC wrapper ignored: {', '.join(map(str, extra[:5]))}")
        obj = obj["AIGC"]
    elif "AIGC" in obj:
        return LabelRecord(carrier, {}, True, [f"AIGC wrapper holds a {type(obj['AIGC']).__name__}, not an object"],
                           raw=raw[:500])

    fields: dict[str, Any] = {}
    for key, val in obj.items():
        std = ALIASES.get(key, key)
        if std != key:
            warnings.append(f"misspelled key {key} read as {std}")
        if std in fields:
            problems.append(f"key {std} given twice (as {key})")
            continue
        fields[std] = val
    record = LabelRecord(carrier, fields, wrapped, problems, warnings, raw[:2000])
    _check(record)
    return record


def _check(rec: LabelRecord) -> None:
    f = rec.fields
    unknown = [k for k in f if k not in FIELDS]
    if unknown:
        rec.warnings.append(f"unknown keys: {', '.join(unknown[:5])}")
    for key in REQUIRED:
        if key not in f:
            rec.problems.append(f"required field {key} is missing")
        elif f[key] in ("", None):
            rec.problems.append(f"required field {key} is empty")
    absent = [key for key in FIELDS[3:] if key not in f]
    if absent:
        rec.warnings.append(f"absent: {', '.join(absent)} (Annex E b) lists all seven keys)")
    for key in FIELDS:
        val = f.get(key)
        if val is None or val == "":
            continue
        if not isinstance(val, str):
            rec.problems.append(f"{key} must be a JSON string, got {type(val).__name__} {json.dumps(val)[:40]}")
            continue
        bad = _BAD_CHAR.search(val)
        if bad:
            ch = bad.group()
            rec.problems.append(f"{key} contains {ch!r} (U+{ord(ch):04X}) outside the Annex E j) character set")
    label = f.get("Label")
    if isinstance(label, str) and label and label not in LABELS:
        rec.problems.append(f'Label is "{label}"; allowed values are "1", "2", "3"')
    for key in ("ContentProducer", "ContentPropagator"):
        val = f.get(key)
        if isinstance(val, str) and val and not _PRODUCER_CODE.fullmatch(val):
            rec.warnings.append(f"{key} {val[:40]!r} is not a 27-character provider code (00 + 25 digits/capitals)")
    has_prop, has_pid = bool(f.get("ContentPropagator")), bool(f.get("PropagateID"))
    if has_prop != has_pid:
        missing = "PropagateID" if has_prop else "ContentPropagator"
        rec.problems.append(f"{missing} is empty while its propagation partner is set")


def _identity(rec: LabelRecord) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, json.dumps(v, sort_keys=True)) for k, v in rec.fields.items()))


def assess(records: list[LabelRecord], *, complete: bool = True, unsupported: bool = False) -> Finding:
    """Judge the file from every record found in it.

    ``complete`` is False when the file could not be read to the end (truncated, too many structures):
    then finding nothing is inconclusive rather than not_found. ``unsupported`` means no reader knows
    the format.
    """
    if not records:
        if unsupported:
            return Finding("inconclusive", ["file format not supported for implicit labels"])
        if not complete:
            return Finding("inconclusive", ["no implicit label found, but the file could not be read completely"])
        return Finding("not_found")

    reasons: list[str] = []
    warnings: list[str] = []
    usable = [r for r in records if r.fields]
    distinct: dict[tuple[tuple[str, str], ...], LabelRecord] = {}
    for r in usable:
        distinct.setdefault(_identity(r), r)
    if len(records) > 1:
        where = ", ".join(r.carrier for r in records)
        if len(distinct) > 1:
            reasons.append(f"{len(records)} implicit labels disagree ({where}); 6.1 c) allows one per file")
        else:
            warnings.append(f"the same label appears in {len(records)} carriers ({where}); 6.1 c) wants one")

    chosen: LabelRecord | None = None
    labels = {r.label for r in usable}
    if len(distinct) == 1 or (len(distinct) > 1 and len(labels) == 1 and None not in labels):
        # Duplicates that agree on what they assert still tell us the Label; otherwise nothing counts.
        chosen = next(iter(distinct.values()))
    for r in records:
        prefix = f"{r.carrier}: " if len(records) > 1 else ""
        reasons.extend(prefix + p for p in r.problems)
        warnings.extend(prefix + w for w in r.warnings)
    if not complete:
        warnings.append("the file could not be read completely; another label may exist beyond the damage")
    status: Status = "noncompliant" if reasons else "compliant"
    return Finding(status, reasons, chosen.canonical() if chosen else None, chosen.carrier if chosen else None,
                   _dedupe(warnings))


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def is_provider_code(value: str) -> bool:
    """True if ``value`` has the 27-character provider-code shape of 网安秘字〔2025〕29号."""
    return bool(_PRODUCER_CODE.fullmatch(value))
