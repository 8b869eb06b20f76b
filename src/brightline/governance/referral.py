"""Referral packages: one case, exported for an authority (seed 004 III.4 "promptly report leads to the public
security organs") as a self-contained zip that can be checked without brightline or its database.

Contents:
- ``case.json``: the case, its reports and reviews, the subject as submitted, every decision version with its
  evidence, and the account's strikes, sanctions and appeals;
- ``audit.jsonl``: the slice of the audit chain about the subject and its account, each event with its body,
  previous hash and hash, so every link can be recomputed; plus the chain head at export;
- ``media/``: the subject's media files when they are readable (each hashed);
- ``manifest.json``: SHA-256 of every file and a verification hash over those digests;
- ``README.txt``: how to check all of the above.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from brightline.errors import BrightlineError
from brightline.governance.audit import canonical_json, chain_hash, events, iso
from brightline.store.tables import (
    AppealRow,
    AuditHeadRow,
    CaseRow,
    DecisionRow,
    ItemRow,
    ReportRow,
    ReviewRow,
    SanctionRow,
    StrikeRow,
)

FORMAT = "brightline-referral/1"
MAX_MEDIA_BYTES = 50 * 1024 * 1024  # a package is mailed and archived; bigger files are listed, not copied

README = """brightline referral package ({format})

Case {case}: {subject}. Exported {exported} from a brightline audit chain whose head was event {head_seq}
(hash {head_hash}).

How to verify without brightline:
1. For every file listed in manifest.json "files", its SHA-256 must equal the listed digest.
2. manifest.json "verification" is the SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8) of the
   "files" object: recompute it to check that the list itself was not changed.
3. Each line of audit.jsonl is one audit event. Its "hash" must equal
   SHA-256( prev_hash + "\\n" + body ), with body the exact "body" string; the body's "seq" must equal the
   event's "seq". Events are a slice of one chain: consecutive events (seq n, n+1) must also link
   (the later prev_hash equals the earlier hash). The platform can show the full chain up to the head above.
"""


class ReferralError(BrightlineError):
    """A referral cannot be exported (unknown case) or a package does not verify."""


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _row(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for f in fields:
        v = getattr(obj, f)
        out[f] = iso(v) if isinstance(v, datetime) else v
    return out


def collect(session: Session, case_id: int) -> tuple[dict[str, Any], list[dict[str, Any]], list[Path]]:
    """The case document, its audit slice and the media files to include."""
    case = session.get(CaseRow, case_id)
    if case is None:
        raise ReferralError(f"no case {case_id}")
    subject = f"{case.subject_kind}:{case.subject_id}"
    item = session.execute(
        select(ItemRow).where(ItemRow.kind == case.subject_kind, ItemRow.external_id == case.subject_id)
    ).scalar_one_or_none()
    account = case.account_id or (item.account_id if item is not None else None)
    decisions = [] if item is None else list(session.execute(
        select(DecisionRow).where(DecisionRow.item_id == item.id).order_by(DecisionRow.version)).scalars())
    decision_ids = [d.id for d in decisions]
    strikes = list(session.execute(select(StrikeRow).where(StrikeRow.account_id == account)
                                   .order_by(StrikeRow.id)).scalars()) if account else []
    sanctions = list(session.execute(select(SanctionRow).where(SanctionRow.account_id == account)
                                     .order_by(SanctionRow.id)).scalars()) if account else []
    appeals = list(session.execute(select(AppealRow).where(or_(
        AppealRow.case_id == case.id, AppealRow.decision_id.in_(decision_ids or [-1]))).order_by(AppealRow.id)).scalars())
    doc = {
        "format": FORMAT,
        "case": _row(case, ("id", "kind", "subject_kind", "subject_id", "account_id", "status", "queue", "priority",
                            "trusted", "severity", "reach", "report_count", "opened_at", "due_at", "decided_by",
                            "decided_at", "outcome", "decision_id")),
        "subject": {"kind": case.subject_kind, "id": case.subject_id,
                    "content": item.payload if item is not None else None,
                    "content_sha256": item.content_hash if item is not None else None},
        "reports": [_row(r, ("external_id", "reporter_id", "reason", "text", "trusted_flagger", "severity",
                             "received_at", "outcome"))
                    for r in session.execute(select(ReportRow).where(ReportRow.case_id == case.id)
                                             .order_by(ReportRow.id)).scalars()],
        "reviews": [_row(r, ("reviewer", "action", "reason", "decision_id", "decided_at"))
                    for r in session.execute(select(ReviewRow).where(ReviewRow.case_id == case.id)
                                             .order_by(ReviewRow.id)).scalars()],
        "decisions": [{**_row(d, ("id", "version", "source", "verdict", "automated", "policy", "rules", "reviewer",
                                  "decided_at")), "decision": d.body} for d in decisions],
        "account": {
            "id": account,
            "strikes": [_row(s, ("id", "decision_id", "rule_id", "category", "weight", "issued_at", "expires_at",
                                 "lifted_at", "lifted_reason")) for s in strikes],
            "sanctions": [_row(s, ("id", "decision_id", "step", "type", "params", "starts_at", "ends_at",
                                   "lifted_at", "lifted_reason")) for s in sanctions],
        },
        "appeals": [_row(a, ("id", "decision_id", "appellant", "reason", "submitted_at", "status", "decided_by",
                             "decided_at", "outcome_reason")) for a in appeals],
    }
    audit = [
        {"seq": e.seq, "type": e.type, "body": e.body, "prev_hash": e.prev_hash, "hash": e.hash}
        for e in events(session, subjects=[subject], accounts=[account] if account else None)
    ]
    media: list[Path] = []
    if item is not None and case.subject_kind == "post":
        base = Path(item.base_path) if item.base_path else None
        for m in item.payload.get("media") or []:
            p = Path(str(m.get("path", "")))
            p = p if p.is_absolute() or base is None else base / p
            if p.is_file():
                media.append(p)
    return doc, audit, media


def export_case(session: Session, case_id: int, out: Path) -> dict[str, Any]:
    """Write the referral zip for one case; returns the manifest."""
    doc, audit, media = collect(session, case_id)
    head = session.execute(select(AuditHeadRow).where(AuditHeadRow.id == 1)).scalar_one()
    exported = iso(datetime.now(timezone.utc))
    files: dict[str, bytes] = {
        "case.json": json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8"),
        "audit.jsonl": "".join(canonical_json(e) + "\n" for e in audit).encode("utf-8"),
    }
    skipped = []
    for i, p in enumerate(media):
        size = p.stat().st_size
        if size > MAX_MEDIA_BYTES:
            skipped.append({"path": str(p), "bytes": size, "reason": "larger than the package limit"})
            continue
        files[f"media/{i:02d}-{p.name}"] = p.read_bytes()
    digests = {name: _sha(data) for name, data in sorted(files.items())}
    manifest = {
        "format": FORMAT,
        "case": case_id,
        "subject": f"{doc['case']['subject_kind']}:{doc['case']['subject_id']}",
        "exported_at": exported,
        "audit_head": {"seq": head.seq, "hash": head.hash},
        "audit_events": len(audit),
        "files": digests,
        "media_not_included": skipped,
        "verification": _sha(canonical_json(digests).encode("utf-8")),
    }
    readme = README.format(format=FORMAT, case=case_id, subject=manifest["subject"], exported=exported,
                           head_seq=head.seq, head_hash=head.hash)
    out.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        zf.writestr("README.txt", readme)
    out.write_bytes(buf.getvalue())
    return manifest


def verify_package(path: Path) -> dict[str, Any]:
    """Check a referral zip as its README says; raises ReferralError naming the first problem."""
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise ReferralError(f"{path}: not a readable zip ({exc})") from None
    with zf:
        try:
            manifest = json.loads(zf.read("manifest.json"))
        except (KeyError, ValueError) as exc:
            raise ReferralError(f"{path}: manifest.json missing or broken ({exc})") from None
        digests = manifest.get("files") or {}
        if _sha(canonical_json(digests).encode("utf-8")) != manifest.get("verification"):
            raise ReferralError("the manifest's file list was changed (verification hash mismatch)")
        for name, digest in digests.items():
            try:
                data = zf.read(name)
            except KeyError:
                raise ReferralError(f"{name} is listed in the manifest but missing") from None
            if _sha(data) != digest:
                raise ReferralError(f"{name} was changed (SHA-256 mismatch)")
        previous: dict[str, Any] | None = None
        for n, line in enumerate(zf.read("audit.jsonl").decode("utf-8").splitlines(), start=1):
            event = json.loads(line)
            if chain_hash(event["prev_hash"], event["body"]) != event["hash"]:
                raise ReferralError(f"audit event {event['seq']} (line {n}): hash does not match its body")
            if json.loads(event["body"]).get("seq") != event["seq"]:
                raise ReferralError(f"audit event {event['seq']} (line {n}): body is for another event")
            if previous is not None and event["seq"] == previous["seq"] + 1 and event["prev_hash"] != previous["hash"]:
                raise ReferralError(f"audit events {previous['seq']} and {event['seq']} do not link")
            previous = event
    return {"ok": True, "case": manifest.get("case"), "files": len(digests), "audit_events": manifest.get("audit_events")}
