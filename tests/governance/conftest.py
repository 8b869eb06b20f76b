"""Governance fixtures: every store test runs on SQLite AND on the real PostgreSQL at 127.0.0.1:5432.

PostgreSQL tests get a fresh schema each (``search_path`` set in the URL), so they never see other engineers'
or other tests' tables. When the server is unreachable they skip with a message, except under ``CI=true``,
where an unreachable database is a failure. ``BRIGHTLINE_TEST_PG`` overrides the server URL.

The test pack (written by :func:`write_pack`) has rules that fire on plain item fields, so these tests do not
depend on which detectors exist; tests that need detector evidence (``after_debunk``) build decisions from
explicit signals with ``pack.decide``.
"""

from __future__ import annotations

import os
import textwrap
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

PG_SERVER = os.environ.get("BRIGHTLINE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
T0 = datetime(2025, 7, 1, 8, 0, tzinfo=timezone.utc)

_pg_state: dict[str, object] = {}


def pg_reachable() -> str | None:
    """None when PostgreSQL answers; otherwise why not (checked once per session)."""
    if "problem" not in _pg_state:
        import sqlalchemy as sa

        try:
            engine = sa.create_engine(PG_SERVER, connect_args={"connect_timeout": 3})
            with engine.connect() as conn:
                conn.exec_driver_sql("select 1")
            engine.dispose()
            _pg_state["problem"] = None
        except Exception as exc:  # any failure to connect means "unreachable"
            _pg_state["problem"] = f"{type(exc).__name__}: {exc}".splitlines()[0]
    return _pg_state["problem"]  # type: ignore[return-value]


def require_pg() -> None:
    problem = pg_reachable()
    if problem is None:
        return
    message = f"PostgreSQL at {PG_SERVER} unreachable ({problem})"
    if os.environ.get("CI") == "true":
        pytest.fail(message + "; CI=true requires it")
    pytest.skip(message)


def fresh_pg_url() -> Iterator[str]:
    """A URL whose tables live in a new, empty schema; the schema is dropped afterwards."""
    import sqlalchemy as sa

    require_pg()
    schema = f"bl_gov_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_SERVER)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_SERVER}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL, once per backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'gov.db'}"
    else:
        yield from fresh_pg_url()


@pytest.fixture
def store(db_url: str) -> Iterator[object]:
    from brightline.store import Store

    s = Store(db_url)
    yield s
    s.dispose()


LADDER = """
ladder:
  strike_expires_days: 90
  appeal_window_days: 14
  steps:
    - {name: reminder, at: 1, statement: {en: "Reminder: {total} points active.", zh: "提醒：有效记分{total}分。"}}
    - {name: warning, at: 2, statement: {en: "Warning: {total} points active.", zh: "警告：有效记分{total}分。"}}
    - name: short_ban
      at: 4
      actions:
        - {type: suspend_account, days: 7}
        - {type: demonetize, measures: [tipping, live_stream], days: 30}
      statement:
        en: "Suspended for {days} days until {until}; {measures} off until {measure_until}."
        zh: "禁言{days}天至{until}；暂停{measures}至{measure_until}。"
    - name: closure
      at: 10
      negative_list: true
      actions:
        - {type: suspend_account, permanent: true}
        - {type: demonetize, measures: [tipping, live_stream, withdrawals, follower_removal], permanent: true}
      statement: {en: "Account closed.", zh: "关闭账号。"}
  escalate:
    - {id: diversion-after-warning, category: diversion, after: warning, to: short_ban}
    - id: debunked-repost-after-notice
      category: false_information
      evidence: {after_debunk: true}
      after: reminder
      to: short_ban
      statement: {en: "Reposted a debunked claim after notice.", zh: "在辟谣后再次发布不实信息。"}
"""

RULES = """
- id: diversion.contact
  when: {any: [{item: {topic: contact}}, {signal: {detector: diversion.contact}}]}
  verdict: restrict
  actions: [{type: exclude_from_recommendation}]
  statement: {en: "Off-platform contact.", zh: "含站外联系方式。"}
  strike: {weight: 1, category: diversion}
- id: claims.debunked
  when: {any: [{item: {topic: debunked}}, {signal: {detector: claims.debunked}}]}
  verdict: restrict
  actions: [{type: label, label: debunked}]
  statement: {en: "Repeats a debunked claim.", zh: "重复已被辟谣的说法。"}
  strike: {weight: 1, category: false_information}
- id: impersonation.remove
  when: {any: [{item: {kind: account, bio: fake-official}}, {item: {topic: severe}}]}
  verdict: remove
  actions: [{type: remove}]
  statement: {en: "Impersonates a protected entity.", zh: "仿冒受保护主体。"}
  strike: {weight: 10, category: impersonation}
- id: ai.label
  when: {item: {topic: ai}}
  verdict: label
  actions: [{type: label, label: ai_generated}]
  statement: {en: "AI-generated.", zh: "AI生成。"}
"""


def write_pack(folder: Path, *, version: int = 1, language: str = "en", rules: str = RULES,
               ladder: str = LADDER) -> Path:
    """A complete pack folder: pack.yaml with a ladder, and one rules file."""
    (folder / "rules").mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(
        f"name: gov-test\nversion: {version}\nlanguage: {language}\ndetectors: []\n"
        "default_statement: {en: Allowed., zh: 未触发规则。}\n" + textwrap.dedent(ladder),
        encoding="utf-8",
    )
    (folder / "rules" / "main.yaml").write_text(textwrap.dedent(rules), encoding="utf-8")
    return folder


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "pack")


@pytest.fixture
def governance(store: object, pack_dir: Path) -> object:
    from brightline.governance import Governance

    return Governance(store, str(pack_dir))  # type: ignore[arg-type]


def at(days: float = 0, hours: float = 0) -> datetime:
    """A point in test time: T0 plus an offset."""
    return T0 + timedelta(days=days, hours=hours)
