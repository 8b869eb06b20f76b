"""IPTC photo metadata about AI: ``Iptc4xmpExt:DigitalSourceType`` and the IPTC 2025.1 AI fields.

Reference §3 and §2.2: the value is a CV URI ``http://cv.iptc.org/newscodes/digitalsourcetype/<code>``
(a bare code is a common writer error, accepted and noted). ``trainedAlgorithmicMedia``,
``compositeWithTrainedAlgorithmicMedia`` and ``compositeSynthetic`` (and C2PA's ``trainedAlgorithmicData``)
say generative AI; ``algorithmicMedia`` is explicitly NOT AI (no training data); ``composite`` and
``virtualRecording`` may or may not involve AI. IPTC 2025.1 added ``AISystemUsed``, ``AISystemVersionUsed``,
``AIPromptInformation`` and ``AIPromptWriterName``; any of them filled says an AI system was used.
"""

from __future__ import annotations

from typing import Any

from brightline.media.xmp import XmpProperty

NS = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
CV_PREFIXES = ("http://cv.iptc.org/newscodes/digitalsourcetype/", "https://cv.iptc.org/newscodes/digitalsourcetype/",
               "http://c2pa.org/digitalsourcetype/", "https://c2pa.org/digitalsourcetype/")

AI_SOURCE_TYPES = frozenset({"trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia",
                             "compositeSynthetic", "trainedAlgorithmicData"})
MAYBE_AI_SOURCE_TYPES = frozenset({"composite", "virtualRecording"})
AI_FIELDS = ("AISystemUsed", "AISystemVersionUsed", "AIPromptInformation", "AIPromptWriterName")


def source_type_code(value: str) -> tuple[str, bool]:
    """The code of a DigitalSourceType value and whether it was written as a full CV URI."""
    v = value.strip()
    for prefix in CV_PREFIXES:
        if v.startswith(prefix):
            return v[len(prefix):].strip("/"), True
    return v, False


def classify_source_type(code: str) -> bool | None:
    """True for generative-AI source types, None when AI may or may not be involved, False otherwise."""
    if code in AI_SOURCE_TYPES:
        return True
    if code in MAYBE_AI_SOURCE_TYPES:
        return None
    return False


def interpret(props: list[XmpProperty]) -> tuple[dict[str, Any], bool | None, str] | None:
    """The IPTC AI facts in one XMP packet as (data, ai, detail), or None if it has none."""
    found = {p.name: p.value for p in props if p.namespace == NS and (p.name == "DigitalSourceType"
                                                                       or p.name in AI_FIELDS)}
    if not found:
        return None
    data: dict[str, Any] = dict(found)
    ai: bool | None = None
    notes: list[str] = []
    dst = found.get("DigitalSourceType")
    if dst is not None:
        code, is_uri = source_type_code(dst)
        data["source_type"] = code
        ai = classify_source_type(code)
        notes.append(f"DigitalSourceType {code}")
        if not is_uri:
            notes.append("written as a bare code, not the IPTC CV URI")
        if code == "algorithmicMedia":
            notes.append("algorithmicMedia is algorithmic without training data: not AI")
    used = [f for f in AI_FIELDS if found.get(f)]
    if used:
        notes.append("IPTC 2025.1 AI fields: " + ", ".join(f"{f}={found[f][:60]!r}" for f in used))
        if ai is not True:
            ai = True
    return data, ai, "; ".join(notes)
