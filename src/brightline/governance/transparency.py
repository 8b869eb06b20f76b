"""Transparency figures for a period, like those regulators publish (CAC campaign round-ups; DSA Art. 15/24):
decisions by verdict, category, detector, action and automated/manual; posts removed, accounts penalised,
reports received and handled with the median handling time, appeals and their reversal rate.

Everything is computed by streaming rows from the store (bounded memory). The HTML rendering is one
self-contained file: inline CSS and hand-drawn SVG bar charts, no scripts, no CDN — a few horizontal bars do
not justify a plotting dependency, and the file must open offline years later.
"""

from __future__ import annotations

import html
import statistics
from collections import Counter
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from brightline.errors import BrightlineError
from brightline.governance.audit import iso
from brightline.store.tables import (
    AppealRow,
    AuditHeadRow,
    CaseRow,
    DecisionRow,
    NegativeListRow,
    NoticeRow,
    ReportRow,
    SanctionRow,
    SignalRow,
)

#: Sanction types that penalise an account (a reminder or warning alone is a notice, not a penalty).
PENALTIES = frozenset({"restrict_account", "suspend_account", "demonetize"})


class PeriodError(BrightlineError):
    """A ``--period`` that is not ``YYYY-MM-DD..YYYY-MM-DD`` with start ≤ end."""


def parse_period(text: str) -> tuple[date, date]:
    """``2025-07-01..2025-09-30`` → two dates, both inclusive."""
    start_text, sep, end_text = text.partition("..")
    try:
        if not sep:
            raise ValueError
        start, end = date.fromisoformat(start_text.strip()), date.fromisoformat(end_text.strip())
    except ValueError:
        raise PeriodError(f"a period is START..END with ISO dates, e.g. 2025-07-01..2025-09-30 (got {text!r})") from None
    if start > end:
        raise PeriodError(f"the period starts after it ends: {text}")
    return start, end


def stored_period(session: Session) -> tuple[date, date]:
    """The days from the first to the last stored decision (today when there are none)."""
    first, last = session.execute(select(func.min(DecisionRow.decided_at), func.max(DecisionRow.decided_at))).one()
    today = datetime.now(timezone.utc).date()
    return (first.date() if first else today, last.date() if last else today)


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00 UTC, the day after end 00:00 UTC)."""
    return (datetime.combine(start, time.min, timezone.utc),
            datetime.combine(end + timedelta(days=1), time.min, timezone.utc))


def _hours(deltas: list[timedelta]) -> float | None:
    return round(statistics.median(d.total_seconds() for d in deltas) / 3600, 2) if deltas else None


def compute(session: Session, start: date, end: date) -> dict[str, Any]:
    """All figures for decisions, sanctions, reports and appeals dated within [start, end] (UTC days)."""
    lo, hi = period_bounds(start, end)
    in_period = DecisionRow.decided_at.between(lo, hi - timedelta(microseconds=1))

    verdicts: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    actions: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    automated = manual = 0
    removed_posts: set[str] = set()
    restricted_posts: set[str] = set()
    policies: set[str] = set()
    rows = session.execute(
        select(DecisionRow.subject_kind, DecisionRow.subject_id, DecisionRow.verdict, DecisionRow.automated,
               DecisionRow.categories, DecisionRow.source, DecisionRow.policy, DecisionRow.body)
        .where(in_period).execution_options(yield_per=1000)
    )
    for kind, ident, verdict, auto, cats, source, policy, body in rows:
        verdicts[verdict] += 1
        sources[source] += 1
        policies.add(policy)
        if auto:
            automated += 1
        else:
            manual += 1
        if verdict != "allow":
            categories.update(cats or [])
        for t in {a.get("type") for a in (body or {}).get("actions", [])}:
            if t:
                actions[t] += 1
        if kind == "post" and verdict == "remove":
            removed_posts.add(ident)
        elif kind == "post" and verdict == "restrict":
            restricted_posts.add(ident)

    detectors = dict(session.execute(
        select(SignalRow.detector, func.count(func.distinct(SignalRow.decision_id)))
        .join(DecisionRow, DecisionRow.id == SignalRow.decision_id).where(in_period).group_by(SignalRow.detector)
    ).all())

    sanction_types: Counter[str] = Counter()
    steps: Counter[str] = Counter()
    measures: Counter[str] = Counter()
    penalised: set[str] = set()
    notified: set[str] = set()
    for account, typ, step, params in session.execute(
        select(SanctionRow.account_id, SanctionRow.type, SanctionRow.step, SanctionRow.params)
        .where(SanctionRow.starts_at >= lo, SanctionRow.starts_at < hi).execution_options(yield_per=1000)
    ):
        sanction_types[typ] += 1
        steps[step] += 1
        if typ in PENALTIES:
            penalised.add(account)
        else:
            notified.add(account)
        if typ == "demonetize":
            measures.update((params or {}).get("measures", []))
    negative = session.execute(
        select(func.count()).select_from(NegativeListRow).where(NegativeListRow.added_at >= lo, NegativeListRow.added_at < hi)
    ).scalar_one()

    reports_received = session.execute(
        select(ReportRow.trusted_flagger, func.count()).where(ReportRow.received_at >= lo, ReportRow.received_at < hi)
        .group_by(ReportRow.trusted_flagger)
    ).all()
    received = {bool(t): n for t, n in reports_received}
    handled: Counter[str] = Counter()
    handling: list[timedelta] = []
    late = 0
    for outcome, opened, decided, due in session.execute(
        select(CaseRow.outcome, CaseRow.opened_at, CaseRow.decided_at, CaseRow.due_at)
        .where(CaseRow.kind == "report", CaseRow.decided_at >= lo, CaseRow.decided_at < hi)
    ):
        handled[outcome or "unknown"] += 1
        handling.append(decided - opened)
        late += decided > due
    backlog = session.execute(
        select(func.count()).select_from(CaseRow).where(CaseRow.kind == "report", CaseRow.opened_at < hi,
                                                        (CaseRow.decided_at.is_(None)) | (CaseRow.decided_at >= hi))
    ).scalar_one()

    appeals_submitted = session.execute(
        select(func.count()).select_from(AppealRow).where(AppealRow.submitted_at >= lo, AppealRow.submitted_at < hi)
    ).scalar_one()
    appeal_outcomes: Counter[str] = Counter()
    appeal_times: list[timedelta] = []
    for status, submitted, decided in session.execute(
        select(AppealRow.status, AppealRow.submitted_at, AppealRow.decided_at)
        .where(AppealRow.decided_at >= lo, AppealRow.decided_at < hi)
    ):
        appeal_outcomes[status] += 1
        appeal_times.append(decided - submitted)
    decided_appeals = sum(appeal_outcomes.values())
    notices = session.execute(
        select(func.count()).select_from(NoticeRow).where(NoticeRow.created_at >= lo, NoticeRow.created_at < hi)
    ).scalar_one()
    head = session.execute(select(AuditHeadRow).where(AuditHeadRow.id == 1)).scalar_one_or_none()

    return {
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "generated_at": iso(datetime.now(timezone.utc)),
        "policies": sorted(policies),
        "decisions": {
            "total": sum(verdicts.values()),
            "automated": automated,
            "manual": manual,
            "by_verdict": dict(verdicts.most_common()),
            "by_source": dict(sources.most_common()),
        },
        "by_category": dict(categories.most_common()),
        "by_detector": dict(sorted(detectors.items(), key=lambda kv: (-kv[1], kv[0]))),
        "by_action": dict(actions.most_common()),
        "posts_removed": len(removed_posts),
        "posts_restricted": len(restricted_posts),
        "accounts_penalised": len(penalised),
        "accounts_warned": len(notified - penalised),
        "sanctions": {"by_type": dict(sanction_types.most_common()), "by_step": dict(steps.most_common()),
                      "demonetisation_by_measure": dict(measures.most_common()), "negative_list_added": negative},
        "reports": {
            "received": sum(received.values()),
            "from_trusted_flaggers": received.get(True, 0),
            "handled": sum(handled.values()),
            "by_outcome": dict(handled.most_common()),
            "median_handling_hours": _hours(handling),
            "handled_after_sla": late,
            "open_at_end": backlog,
        },
        "appeals": {
            "submitted": appeals_submitted,
            "decided": decided_appeals,
            "reversed": appeal_outcomes.get("reversed", 0),
            "upheld": appeal_outcomes.get("upheld", 0),
            "reversal_rate": round(appeal_outcomes.get("reversed", 0) / decided_appeals, 4) if decided_appeals else None,
            "median_handling_hours": _hours(appeal_times),
        },
        "notices_queued": notices,
        "audit_head": {"seq": head.seq, "hash": head.hash} if head is not None else None,
    }


# ---- HTML ----

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC",sans-serif;margin:2rem auto;
max-width:60rem;padding:0 1rem;color:#1d232b}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin:2rem 0 .6rem;border-bottom:1px solid #dde3ea}
.muted{color:#5d6b7a}.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.8rem}
.kpi{border:1px solid #dde3ea;border-radius:.5rem;padding:.7rem .9rem}.kpi b{display:block;font-size:1.5rem}
table{border-collapse:collapse}td,th{padding:.2rem .8rem .2rem 0;text-align:left}td.n{text-align:right}
svg text{font:12px system-ui,sans-serif;fill:#1d232b}code{font-size:.85em;word-break:break-all}
"""
_PALETTE = ("#2f6db5", "#d9822b", "#3a9a5b", "#b8434d", "#7d5bb5", "#6b7785")


def bar_chart(title: str, data: dict[str, int | float], *, width: int = 640) -> str:
    """A horizontal bar chart as inline SVG, with the numbers written on the bars."""
    if not data:
        return f'<p class="muted">{html.escape(title)}: none in this period.</p>'
    bar_h, gap, label_w = 22, 6, 200
    items = list(data.items())
    peak = max(v for _, v in items) or 1
    height = len(items) * (bar_h + gap) + 28
    parts = [f'<svg role="img" aria-label="{html.escape(title)}" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             f'<text x="0" y="14" font-weight="600">{html.escape(title)}</text>']
    for i, (label, value) in enumerate(items):
        y = 24 + i * (bar_h + gap)
        w = max(1.0, (width - label_w - 70) * value / peak)
        colour = _PALETTE[i % len(_PALETTE)]
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{html.escape(str(label))}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="3" fill="{colour}"/>')
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 15}">{value:,}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_html(report: dict[str, Any], title: str = "Transparency report") -> str:
    """One self-contained HTML page: key figures, charts and tables, no external resources."""
    e = html.escape
    d, r, a = report["decisions"], report["reports"], report["appeals"]
    period = f'{report["period"]["from"]} – {report["period"]["to"]}'
    rate = f'{a["reversal_rate"]:.1%}' if a["reversal_rate"] is not None else "–"
    median = f'{r["median_handling_hours"]} h' if r["median_handling_hours"] is not None else "–"
    kpis = [
        ("Decisions", f'{d["total"]:,}'), ("Automated", f'{d["automated"]:,}'), ("Manual", f'{d["manual"]:,}'),
        ("Posts removed", f'{report["posts_removed"]:,}'), ("Accounts penalised", f'{report["accounts_penalised"]:,}'),
        ("Reports handled", f'{r["handled"]:,}'), ("Median handling", median), ("Appeal reversal rate", rate),
    ]
    head = report.get("audit_head") or {}
    sections = [
        ("Decisions by verdict", d["by_verdict"]), ("Decisions by category", report["by_category"]),
        ("Decisions by detector", report["by_detector"]), ("Actions taken", report["by_action"]),
        ("Sanctions by ladder step", report["sanctions"]["by_step"]),
        ("Economic measures", report["sanctions"]["demonetisation_by_measure"]),
        ("Reports by outcome", r["by_outcome"]),
        ("Automated and manual decisions", {"automated": d["automated"], "manual": d["manual"]}),
    ]
    body = [
        f"<h1>{e(title)}</h1>",
        f'<p class="muted">Period {e(period)} (UTC) · policies {e(", ".join(report["policies"]) or "–")} · '
        f'generated {e(report["generated_at"])}</p>',
        '<div class="kpis">' + "".join(f'<div class="kpi"><b>{e(v)}</b>{e(k)}</div>' for k, v in kpis) + "</div>",
    ]
    for heading, data in sections:
        body.append(f"<h2>{e(heading)}</h2>{bar_chart(heading, data)}")
    body.append("<h2>Reports and appeals</h2><table>")
    rows = [
        ("Reports received", r["received"]), ("… from trusted flaggers", r["from_trusted_flaggers"]),
        ("Reports handled", r["handled"]), ("Handled after their SLA", r["handled_after_sla"]),
        ("Open at the end of the period", r["open_at_end"]), ("Appeals submitted", a["submitted"]),
        ("Appeals decided", a["decided"]), ("… reversed", a["reversed"]), ("… upheld", a["upheld"]),
        ("Accounts warned (no penalty)", report["accounts_warned"]),
        ("Accounts added to the negative list", report["sanctions"]["negative_list_added"]),
        ("Notices sent to reporters and authors", report["notices_queued"]),
    ]
    body.extend(f'<tr><td>{e(k)}</td><td class="n">{v:,}</td></tr>' for k, v in rows)
    body.append("</table>")
    if head:
        body.append(f'<h2>Audit log</h2><p>Every figure above derives from an append-only, hash-chained log. Its '
                    f'head at generation: event {head["seq"]:,}, hash <code>{e(head["hash"])}</code>. '
                    f"Anyone holding a copy of the log can check it with <code>brightline audit verify</code>.</p>")
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{e(title)} {e(period)}</title>'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><style>{_CSS}</style></head>'
            f'<body>{"".join(body)}</body></html>\n')
