"""Reports ("user marking"): intake, deduplication per subject into one case, priority and queue.

Priority weighs what a reviewer should see first: severity (from the report's reason and what brightline
already decided about the subject), reach (views/followers on the subject, log-scaled) and the reporter's
track record (share of their past reports that were upheld, smoothed so a new reporter starts at 0.5).
Trusted flaggers (DSA Art. 22) go to their own queue, served first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from brightline.governance.audit import iso
from brightline.governance.decisions import PolicyContext, find_item, latest_decision, occurred_at
from brightline.governance.ladder import ReviewConfig
from brightline.governance.notices import describe_subject, language_for, queue_notice
from brightline.governance.unit import Unit
from brightline.model import Report
from brightline.store.tables import CaseRow, ReporterRow, ReportRow

#: Default severity by words in a report's reason (zh and en); a pack may override in ladder.review.
DEFAULT_REPORT_SEVERITY: dict[str, int] = {
    "child": 5, "minor": 5, "未成年": 5, "terror": 5, "恐怖": 5,
    "fraud": 4, "scam": 4, "诈骗": 4, "impersonat": 4, "冒充": 4, "仿冒": 4, "false": 4, "rumor": 4,
    "rumour": 4, "disinformation": 4, "谣言": 4, "虚假": 4,
    "diversion": 3, "contact": 3, "引流": 3, "qualification": 3, "资质": 3, "ai": 3, "deepfake": 4, "合成": 3,
    "spam": 2, "垃圾": 2,
}
#: Severity implied by what brightline already decided on the subject.
VERDICT_SEVERITY = {"remove": 5, "restrict": 4, "review": 3, "label": 2, "allow": 1}
_REACH_FIELDS = ("reach", "views", "impressions", "followers", "followers_count")


@dataclass
class Intake:
    """Result of taking a report in: its case, and whether the report was new."""

    case: CaseRow
    report: ReportRow
    new_report: bool
    new_case: bool


def severity_of(reason: str, text: str, config: ReviewConfig, subject_verdict: str | None) -> int:
    words = {**DEFAULT_REPORT_SEVERITY, **config.report_severity}
    hay = f"{reason} {text}".lower()
    sev = max((v for k, v in words.items() if k.lower() in hay), default=2)
    if subject_verdict is not None:
        sev = max(sev, VERDICT_SEVERITY.get(subject_verdict, 1))
    return max(1, min(5, sev))


def reach_of(payload: dict[str, Any] | None) -> int:
    best = 0
    for key in _REACH_FIELDS:
        value = (payload or {}).get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > best:
            best = int(value)
    return best


def reliability(reporter: ReporterRow | None) -> float:
    """Share of a reporter's decided reports that were upheld, Laplace-smoothed (new reporters: 0.5)."""
    if reporter is None:
        return 0.5
    return (reporter.reports_upheld + 1) / (reporter.reports_upheld + reporter.reports_rejected + 2)


def priority(severity: int, reach: int, reliability_score: float, reports: int) -> float:
    """Higher first. Severity dominates; reach and reliability order cases of equal severity."""
    return round(20 * severity + 6 * math.log10(1 + reach) + 10 * reliability_score + 2 * min(reports, 10), 3)


def queue_for(trusted: bool, severity: int, config: ReviewConfig) -> str:
    if trusted:
        return "trusted"
    return "urgent" if severity >= config.urgent_severity else "standard"


def intake(unit: Unit, report: Report, ctx: PolicyContext, *, at: datetime, actor: str = "brightline") -> Intake:
    """Record a report and fold it into the open case on its subject (creating the case if needed)."""
    s = unit.session
    existing = s.execute(select(ReportRow).where(ReportRow.external_id == report.id)).scalar_one_or_none()
    if existing is not None:
        case = s.get(CaseRow, existing.case_id)
        assert case is not None
        return Intake(case, existing, False, False)

    config = ctx.ladder.review
    subj_kind, subj_id = report.subject.kind, report.subject.id
    subject_row = find_item(unit, subj_kind, subj_id)
    subject_payload = subject_row.payload if subject_row is not None else None
    subject_verdict = None
    if subject_row is not None:
        latest = latest_decision(unit, subject_row.id)
        subject_verdict = latest.verdict if latest is not None else None
    author = subject_row.account_id if subject_row is not None else (subj_id if subj_kind == "account" else None)
    reach = reach_of(subject_payload)
    if reach == 0 and author is not None and subj_kind != "account":
        author_row = find_item(unit, "account", author)
        reach = reach_of(author_row.payload if author_row is not None else None)

    reporter = None
    if report.reporter_id:
        reporter = s.get(ReporterRow, report.reporter_id)
        if reporter is None:
            reporter = ReporterRow(reporter_id=report.reporter_id, trusted_flagger=False, reports_total=0,
                                   reports_upheld=0, reports_rejected=0)
            s.add(reporter)
        reporter.reports_total += 1
    trusted = bool(report.trusted_flagger or (reporter is not None and reporter.trusted_flagger))
    severity = severity_of(report.reason, report.text, config, subject_verdict)
    rel = reliability(reporter)
    received = occurred_at(report, at)

    open_key = f"report:{subj_kind}:{subj_id}"
    case = s.execute(select(CaseRow).where(CaseRow.open_key == open_key)).scalar_one_or_none()
    new_case = case is None
    queue = queue_for(trusted, severity, config)
    due = received + timedelta(hours=config.queues[queue].sla_hours)
    if case is None:
        case = CaseRow(
            kind="report", subject_kind=subj_kind, subject_id=subj_id, account_id=author, open_key=open_key,
            status="open", queue=queue, priority=0.0, trusted=trusted, severity=severity, reach=reach,
            report_count=0, opened_at=received, due_at=due,
        )
        s.add(case)
        s.flush()
    else:
        # A second report can only make the case more urgent, never less.
        case.trusted = case.trusted or trusted
        case.severity = max(case.severity, severity)
        case.reach = max(case.reach, reach)
        if case.trusted:
            case.queue = "trusted"
        elif case.queue == "standard" and case.severity >= config.urgent_severity:
            case.queue = "urgent"
        case.due_at = min(case.due_at, due)
    case.report_count += 1
    case.priority = priority(case.severity, case.reach, rel, case.report_count)

    row = ReportRow(
        external_id=report.id, reporter_id=report.reporter_id, subject_kind=subj_kind, subject_id=subj_id,
        reason=report.reason, text=report.text, trusted_flagger=trusted, severity=severity, received_at=received,
        case_id=case.id,
    )
    s.add(row)
    s.flush()
    unit.audit.record(
        "report.received",
        {"report": report.id, "case": case.id, "reporter": report.reporter_id, "reason": report.reason,
         "trusted_flagger": trusted, "severity": severity},
        at=at, actor=actor, subject=f"{subj_kind}:{subj_id}", account_id=author,
    )
    unit.audit.record(
        "case.opened" if new_case else "case.updated",
        {"case": case.id, "queue": case.queue, "priority": case.priority, "due_at": iso(case.due_at),
         "reports": case.report_count},
        at=at, actor=actor, subject=f"{subj_kind}:{subj_id}", account_id=author,
    )
    if report.reporter_id:
        reporter_row = find_item(unit, "account", report.reporter_id)
        lang = language_for(reporter_row.payload if reporter_row else None, ctx.language)
        queue_notice(
            unit, role="reporter", recipient=report.reporter_id, template="report_received", language=lang,
            values={"case": case.id, "subject": describe_subject(subj_kind, subj_id, lang), "reason": report.reason,
                    "due": case.due_at.strftime("%Y-%m-%d %H:%M UTC")},
            at=at, case_id=case.id,
        )
    return Intake(case, row, True, new_case)


def set_trusted_flagger(unit: Unit, reporter_id: str, trusted: bool, *, at: datetime, actor: str,
                        name: str | None = None) -> None:
    """Register (or withdraw) a trusted flagger; their reports go to the trusted queue."""
    row = unit.session.get(ReporterRow, reporter_id)
    if row is None:
        row = ReporterRow(reporter_id=reporter_id, trusted_flagger=trusted, reports_total=0, reports_upheld=0,
                          reports_rejected=0)
        unit.session.add(row)
    row.trusted_flagger = trusted
    if name is not None:
        row.name = name
    unit.audit.record("reporter.trusted" if trusted else "reporter.untrusted", {"reporter": reporter_id, "name": name},
                      at=at, actor=actor, account_id=reporter_id)
