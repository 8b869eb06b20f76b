"""The ``aigc`` detector: is a post AI-generated/synthesised, and how sure may the platform be? (capability A)

Measures for Labeling AI-Generated Synthetic Content, Art. 6 (reference/aigc-labelling.md §1.2, §1.8) gives the
propagation platform three categories, each raised here as a signal with evidence ``basis`` and ``certainty``:

* **confirmed** — the file's metadata carries a GB 45438 implicit label saying AI (``Label`` "1");
* **possible** — no implicit label, but the uploader declared the content AI-generated (``declared_ai``);
* **suspected** — only traces: an implicit label that says "2"/"3" or cannot be read, C2PA AI
  ``digitalSourceType`` (active or ingredient manifest), IPTC AI source type, AUTOMATIC1111/ComfyUI generator
  metadata, the Stable Diffusion watermark, or a visible "AI生成"/"AI-generated" mark in the text. C2PA counts
  as a trace, not an implicit label: Art. 6(1) refers to the implicit label the Measures define (GB 45438
  Annex E), and the reference's Art. 6 algorithm (§1.8 step 4, §8 item 3) lists C2PA among the traces.

Each finding is its own signal (one per basis per media file), so the statement can cite every piece of
evidence; the policy pack applies the Art. 6 precedence (confirmed > possible > suspected). A media file that
cannot be read is evidence too: a signal with ``gb45438: inconclusive`` and the error, never a crash.

Options (``detector_options: {aigc: {...}}`` in pack.yaml): ``trust_anchors`` (PEM text or file for C2PA),
``c2pa`` / ``watermark`` (bool, default true), ``max_media`` (files inspected per post, default 16).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from brightline.detectors.base import Detector, ScreenContext
from brightline.media.visible import find_visible_marks
from brightline.model import Post, Signal

#: How much each kind of trace weighs (score); a signal's score is evidence strength, not the certainty.
_TRACE_SCORE = {"c2pa": 0.9, "iptc": 0.9, "generator_metadata": 0.85, "watermark": 0.8, "implicit_label": 0.9}


class AigcDetector(Detector):
    """AI-generated content: implicit labels, C2PA, IPTC, generator metadata, watermark, declaration, visible marks."""

    family = "aigc"
    emits = ("aigc",)
    kinds = frozenset({"post"})

    def __init__(self, registries: Any, options: dict[str, Any] | None = None) -> None:
        super().__init__(registries, options)
        self.use_c2pa = bool(self.options.get("c2pa", True))
        self.use_watermark = bool(self.options.get("watermark", True))
        self.max_media = int(self.options.get("max_media", 16))
        self._trust_anchors = self.options.get("trust_anchors")
        self._c2pa_reader: Any = None  # built on the first media file: text-only screening never loads c2pa

    def _c2pa(self) -> Any:
        if self._c2pa_reader is None:
            from brightline.media.c2pa_reader import C2paReader

            self._c2pa_reader = C2paReader(trust_anchors=self._trust_anchors)
        return self._c2pa_reader

    def detect(self, item: Post, ctx: ScreenContext) -> Iterable[Signal]:  # type: ignore[override]
        """Signals for the post's media files, the uploader's declaration and visible marks in its text."""
        signals: list[Signal] = []
        scope = "media" if item.media else "text"
        for index, media in enumerate(item.media[: self.max_media]):
            signals.extend(self._media_signals(index, media.path, media.resolved(ctx.base_path)))
        if item.declared_ai:
            signals.append(
                Signal("aigc", 1.0, {"basis": "declaration", "certainty": "possible", "scope": scope,
                                     "detail": "the uploader declared the content AI-generated"})
            )
        for field in ("title", "text"):
            value = getattr(item, field) or ""
            for mark in find_visible_marks(value, field):
                evidence: dict[str, Any] = {"basis": "visible_mark", "certainty": "suspected", "scope": scope,
                                            "span": list(mark.span), "excerpt": mark.excerpt}
                if field != "text":
                    evidence["field"] = field
                signals.append(Signal("aigc", 0.7, evidence))
                break  # one visible mark per field is evidence enough
        return signals

    def _media_signals(self, index: int, given: str, path: Path) -> list[Signal]:
        from brightline.media import inspect_file

        base = {"media": given, "media_index": index}
        report = inspect_file(path, sources=("watermark",) if self.use_watermark else ())
        if self.use_c2pa and report.format is not None:
            self._add_c2pa(report, path)
        finding = report.gb45438
        out: list[Signal] = []
        label_records = [r for r in report.records if r.basis == "implicit_label"]
        if label_records:
            record = finding.record or label_records[0].data
            confirmed = report.certainty == "confirmed"
            out.append(Signal("aigc", 1.0 if confirmed else _TRACE_SCORE["implicit_label"], {
                "basis": "implicit_label",
                "certainty": "confirmed" if confirmed else "suspected",
                "scope": "media",
                **base,
                "carrier": finding.carrier or label_records[0].carrier,
                "label": record.get("Label"),
                "producer": record.get("ContentProducer"),
                "produce_id": record.get("ProduceID"),
                "propagator": record.get("ContentPropagator"),
                "gb45438": finding.status,
                "reasons": list(finding.reasons),
            }))
        seen: set[str] = set()
        for rec in report.records:
            if rec.basis == "implicit_label" or not rec.ai or rec.basis in seen:
                continue
            seen.add(rec.basis)
            evidence = {"basis": rec.basis, "certainty": "suspected", "scope": "media", **base,
                        "carrier": rec.carrier, "detail": rec.detail, "gb45438": finding.status}
            if rec.basis == "c2pa":
                evidence["c2pa_status"] = rec.data.get("status")
            out.append(Signal("aigc", _TRACE_SCORE.get(rec.basis, 0.8), evidence))
        if finding.status == "inconclusive" and not out:
            # The file could not be checked: say so (the pack sends it to review), do not pass it as clean.
            unsupported = report.format is None and not any("cannot" in e for e in report.errors)
            evidence = {"basis": "implicit_label", "scope": "media", **base, "gb45438": "inconclusive",
                        "reasons": list(finding.reasons), "error": "; ".join(report.errors[:3]) or None}
            if unsupported:
                evidence["unsupported"] = True
            out.append(Signal("aigc", 0.0, evidence))
        return out

    def _add_c2pa(self, report: Any, path: Path) -> None:
        from brightline.media import ProvenanceRecord
        from brightline.media.c2pa_reader import C2PA_FORMATS, records_from_finding

        fmt = C2PA_FORMATS.get(report.format or "")
        if fmt is None:
            return
        try:
            report.records.extend(records_from_finding(self._c2pa().read_format(path, fmt), ProvenanceRecord))
        except ValueError as exc:  # a broken manifest is this file's error, not the post's
            report.errors.append(f"c2pa: {exc}")
