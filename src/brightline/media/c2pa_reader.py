"""C2PA (Content Credentials) provenance through c2pa-python: is there a manifest, is it valid, does it say AI?

The decision rules follow reference/aigc-labelling.md §2.2–2.3 (verified by running c2pa-python 0.38.1):

* AI when an actions assertion (``c2pa.actions`` / ``c2pa.actions.v2``) in the **active or any ingredient
  manifest** records a ``digitalSourceType`` of ``trainedAlgorithmicMedia``,
  ``compositeWithTrainedAlgorithmicMedia``, ``compositeSynthetic`` (IPTC vocabulary) or C2PA's
  ``trainedAlgorithmicData``. ``algorithmicMedia`` ("created purely by an algorithm not based on any sampled
  training data") is NOT AI.
* ``validation_state`` is ``Trusted`` / ``Valid`` / ``Invalid``; a manifest whose only failures are
  ``*.untrusted`` codes is valid but from an unknown signer. Trust anchors are configurable (PEM text or file);
  remote manifest fetching stays off: a platform must not make network calls for uploaded files.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: Last path segment of a digitalSourceType URI -> does it mean generative AI was involved?
AI_SOURCE_TYPES: frozenset[str] = frozenset(
    {"trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia", "compositeSynthetic", "trainedAlgorithmicData"}
)

_ACTIONS_LABELS = ("c2pa.actions", "c2pa.actions.v2")


@dataclass(slots=True)
class AiSourceType:
    """One action in one manifest that records an AI digitalSourceType."""

    manifest: str
    role: str  # "active" or "ingredient"
    action: str
    digital_source_type: str
    software_agent: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "manifest": self.manifest,
            "role": self.role,
            "action": self.action,
            "digitalSourceType": self.digital_source_type,
            "softwareAgent": self.software_agent,
        }


@dataclass(slots=True)
class C2paFinding:
    """What the C2PA manifest store of one file says.

    ``status`` is ``absent`` (no manifest), ``trusted``, ``valid_untrusted`` (valid, unknown signer),
    ``invalid`` (e.g. edited after signing), ``remote_only`` (only a remote reference, not fetched),
    ``unsupported`` (a format c2pa cannot read) or ``error`` (the file could not be parsed; ``error`` says why).
    """

    status: str
    validation_state: str | None = None
    ai_sources: list[AiSourceType] = field(default_factory=list)
    claim_generator: str | None = None
    signer: str | None = None
    failures: list[str] = field(default_factory=list)
    manifests: int = 0
    error: str | None = None

    @property
    def present(self) -> bool:
        return self.status in ("trusted", "valid_untrusted", "invalid")

    @property
    def ai(self) -> bool:
        """True when any manifest, active or ingredient, records an AI digitalSourceType."""
        return bool(self.ai_sources)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status, "ai": self.ai}
        if self.validation_state:
            out["validation_state"] = self.validation_state
        if self.ai_sources:
            out["ai_sources"] = [a.to_dict() for a in self.ai_sources]
        if self.claim_generator:
            out["claim_generator"] = self.claim_generator
        if self.signer:
            out["signer"] = self.signer
        if self.failures:
            out["failures"] = self.failures
        if self.manifests:
            out["manifests"] = self.manifests
        if self.error:
            out["error"] = self.error
        return out


def is_ai_source_type(uri: str | None) -> bool:
    """True for the digitalSourceType values that mean generative AI (http/https URI or bare code)."""
    return bool(uri) and uri.rstrip("/").rsplit("/", 1)[-1] in AI_SOURCE_TYPES  # type: ignore[union-attr]


def _actions(manifest: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for assertion in manifest.get("assertions") or ():
        if not isinstance(assertion, dict) or assertion.get("label") not in _ACTIONS_LABELS:
            continue
        data = assertion.get("data") or {}
        for action in data.get("actions") or () if isinstance(data, dict) else ():
            if isinstance(action, dict):
                yield action


def _generator(manifest: dict[str, Any]) -> str | None:
    info = manifest.get("claim_generator_info")
    if isinstance(info, list) and info and isinstance(info[0], dict) and info[0].get("name"):
        version = info[0].get("version")
        return f"{info[0]['name']}/{version}" if version else str(info[0]["name"])
    gen = manifest.get("claim_generator")
    return str(gen) if gen else None


def classify_store(store: dict[str, Any]) -> C2paFinding:
    """Turn a manifest-store JSON (``Reader.json()``) into a finding. Pure: testable without files."""
    manifests: dict[str, Any] = store.get("manifests") or {}
    active_label = store.get("active_manifest")
    active = manifests.get(active_label) if active_label else None
    ai_sources: list[AiSourceType] = []
    for label, manifest in manifests.items():
        if not isinstance(manifest, dict):
            continue
        role = "active" if label == active_label else "ingredient"
        for action in _actions(manifest):
            dst = action.get("digitalSourceType")
            if is_ai_source_type(dst):
                agent = action.get("softwareAgent")
                if isinstance(agent, dict):  # claim v2 softwareAgent is a generator-info object
                    agent = agent.get("name")
                ai_sources.append(AiSourceType(label, role, str(action.get("action", "")), str(dst), agent))
    failures: list[str] = []
    results = store.get("validation_results") or {}
    active_results = results.get("activeManifest") or {} if isinstance(results, dict) else {}
    for entry in active_results.get("failure") or ():
        if isinstance(entry, dict) and entry.get("code"):
            failures.append(str(entry["code"]))
    if not failures:
        for entry in store.get("validation_status") or ():
            if isinstance(entry, dict) and entry.get("code"):
                failures.append(str(entry["code"]))
    state = store.get("validation_state")
    if state == "Trusted":
        status = "trusted"
    elif state == "Valid":
        status = "valid_untrusted"
    elif state == "Invalid":
        status = "invalid"
    else:  # older stores carry no state: infer from failure codes
        status = "invalid" if any(not f.endswith(".untrusted") for f in failures) else "valid_untrusted"
    signer = None
    if isinstance(active, dict):
        sig = active.get("signature_info") or {}
        signer = sig.get("issuer") or sig.get("common_name")
    return C2paFinding(
        status=status,
        validation_state=state,
        ai_sources=ai_sources,
        claim_generator=_generator(active) if isinstance(active, dict) else None,
        signer=signer,
        failures=sorted(set(failures)),
        manifests=len(manifests),
    )


class C2paReader:
    """Reads C2PA manifests with one c2pa ``Context`` built once (trust anchors loaded once, not per file).

    ``trust_anchors`` is PEM text or a path to a PEM bundle; without it no signer is "trusted" and valid
    manifests are ``valid_untrusted``.
    """

    def __init__(self, trust_anchors: str | Path | None = None, allowed_list: str | Path | None = None) -> None:
        import c2pa  # imported here so modules that never read C2PA do not load the native library

        self._c2pa = c2pa
        settings: dict[str, Any] = {"verify": {"remote_manifest_fetch": False}}
        trust: dict[str, str] = {}
        for key, value in (("trust_anchors", trust_anchors), ("allowed_list", allowed_list)):
            if value:
                text = str(value)
                trust[key] = Path(text).read_text(encoding="ascii") if "-----BEGIN" not in text else text
        if trust:
            settings["verify"]["verify_cert_anchors"] = True
            settings["trust"] = trust
        self._settings = c2pa.Settings.from_dict(settings)
        self._context = c2pa.Context(self._settings)
        self._suffixes = self._supported_suffixes(c2pa.Reader.get_supported_mime_types())

    @staticmethod
    def _supported_suffixes(mimes: list[str]) -> frozenset[str]:
        # The library lists bare extensions ("jpg", "mp4") beside MIME types; keep the extensions.
        return frozenset(m.lower() for m in mimes if "/" not in m) - {"c2pa"}

    def supports(self, path: Path) -> bool:
        """True when c2pa-python can read this file type (by suffix)."""
        return path.suffix.lower().lstrip(".") in self._suffixes

    def read(self, path: str | Path) -> C2paFinding:
        """Read one file's manifest store (format from the suffix). Never raises: see ``status``."""
        p = Path(path)
        fmt = p.suffix.lower().lstrip(".")
        return self.read_format(p, fmt if fmt in self._suffixes else None)

    def read_format(self, path: str | Path, fmt: str | None) -> C2paFinding:
        """Read one file whose format is already known (``jpg``, ``mp4``...; None: unsupported)."""
        if fmt is None:
            return C2paFinding(status="unsupported")
        c2pa = self._c2pa
        try:
            with open(path, "rb") as fh:
                reader = c2pa.Reader.try_create(fmt, fh, context=self._context)
                if reader is None:
                    return C2paFinding(status="absent")
                with reader:
                    store = json.loads(reader.json())
        except OSError as exc:
            return C2paFinding(status="error", error=f"cannot read file: {exc.strerror or exc}")
        except c2pa.C2paError as exc:
            text = str(exc)
            name = type(exc).__name__
            if "ManifestNotFound" in name or "JumbfNotFound" in text:
                return C2paFinding(status="absent")
            if "Remote" in name or text.startswith("Remote"):
                return C2paFinding(status="remote_only", error=text)
            if "NotSupported" in name:
                return C2paFinding(status="unsupported", error=text)
            return C2paFinding(status="error", error=f"C2PA: {text}")
        except ValueError as exc:  # json.JSONDecodeError included
            return C2paFinding(status="error", error=f"C2PA: unreadable manifest store: {exc}")
        return classify_store(store)

    def close(self) -> None:
        """Release the native context."""
        self._context.close()
        self._settings.close()


# --- record source for brightline.media.inspect_file ------------------------------------------------------------

#: brightline.media format names c2pa-python reads, mapped to the format string c2pa expects.
C2PA_FORMATS: dict[str, str] = {
    "jpeg": "jpg", "png": "png", "webp": "webp", "tiff": "tiff", "gif": "gif", "heic": "heic", "heif": "heif",
    "avif": "avif", "mp4": "mp4", "mov": "mov", "m4a": "m4a", "avi": "avi", "wav": "wav", "mp3": "mp3",
    "flac": "flac", "pdf": "pdf", "svg": "svg", "docx": "docx", "xlsx": "xlsx", "pptx": "pptx", "dng": "dng",
}
_default_reader: C2paReader | None = None


def finding_record_detail(finding: C2paFinding) -> str:
    """One line for people: state, signer, and the AI source types found."""
    parts = [f"C2PA manifest store ({finding.manifests} manifest(s)), {finding.status.replace('_', ' ')}"]
    if finding.signer:
        parts.append(f"signed by {finding.signer}")
    if finding.ai_sources:
        kinds = sorted({s.digital_source_type.rsplit('/', 1)[-1] + f" ({s.role})" for s in finding.ai_sources})
        parts.append("AI source type " + ", ".join(kinds))
    return "; ".join(parts)


def c2pa_records(path: Path, fmt: str) -> list[Any]:
    """Record source for :func:`brightline.media.inspect_file`: one ``c2pa`` record when a manifest is there.

    Raises ``ValueError`` for a file c2pa could not parse (inspect_file turns it into a per-file error).
    """
    from brightline.media import ProvenanceRecord

    global _default_reader
    if _default_reader is None:
        _default_reader = C2paReader()
    return records_from_finding(_default_reader.read_format(path, C2PA_FORMATS.get(fmt)), ProvenanceRecord)


def records_from_finding(finding: C2paFinding, record_type: Any) -> list[Any]:
    """Turn a finding into provenance records (empty when there is no manifest)."""
    if finding.status in ("absent", "unsupported"):
        return []
    if finding.status == "error":
        raise ValueError(finding.error or "C2PA manifest could not be read")
    ai = finding.ai if finding.present else None
    return [record_type("c2pa", "c2pa:manifest_store", finding.to_dict(), ai, finding_record_detail(finding))]


def _register() -> None:
    from brightline.media import register_source

    register_source("c2pa", c2pa_records, formats=set(C2PA_FORMATS))


_register()
