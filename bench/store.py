"""Decisions persisted per second, SQLite and PostgreSQL, batched, in one run.

Usage: .venv/bin/python bench/store.py [--n 20000] [--batch 256] [--pg URL]

Decisions are made first (the bundled cn-cac-2025 pack deciding on synthetic signals: about one post in four
breaks a rule with a strike, so the ladder, sanctions and notices are exercised), then only the persistence
is timed: items, decision versions, signals, strikes, sanctions, notices and the hash-chained audit events,
committed in transactions of ``--batch`` decisions. A second pass over the same items measures idempotent
re-screening (nothing new is written). The audit chain is verified at the end of each backend's run.

PostgreSQL runs in a fresh schema of the server at ``--pg`` (default: the local test server) and is reported
as skipped when the server cannot be reached.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from brightline.governance import Governance
from brightline.model import Decision, Post, Signal
from brightline.policy import load_pack

T0 = datetime(2025, 7, 1, tzinfo=timezone.utc)


def workload(n: int, seed: int = 7) -> list[tuple[Post, Decision]]:
    """n posts by n/20 accounts over 90 days, with the decisions the cn pack makes on their signals."""
    pack = load_pack("cn-cac-2025")
    rnd = random.Random(seed)
    pairs = []
    for i in range(n):
        created = T0 + timedelta(minutes=i * 90 * 24 * 60 // n)
        post = Post(id=f"bench-{i}", account_id=f"acct-{rnd.randrange(max(1, n // 20))}", created_at=created,
                    text=f"第{i}条内容 post number {i} " + "这是一段普通的文字。" * rnd.randint(1, 20))
        roll = rnd.random()
        signals: list[Signal] = []
        if roll < 0.12:
            signals = [Signal("claims.debunked", 0.9, {"claim_id": f"c{i % 40}", "claim": "某地自来水有毒",
                                                        "after_debunk": rnd.random() < 0.5,
                                                        "fact_checker": "辟谣平台", "debunked_on": "2025-06-30"})]
        elif roll < 0.25:
            signals = [Signal("lexicon", 0.95, {"term": "代开发票", "severity": rnd.choice([4, 5]),
                                                "category": "fraud", "span": [0, 4], "excerpt": "代开发票"})]
        elif roll < 0.30:
            signals = [Signal("source.vague", 0.8, {"span": [0, 2], "excerpt": "网传", "phrase": "网传"})]
        pairs.append((post, pack.decide(post.ref, post, signals)))
    return pairs


@contextmanager
def pg_schema(url: str) -> Iterator[str | None]:
    """A throwaway schema on the server; yields None if it cannot be reached."""
    import sqlalchemy as sa

    schema = f"bl_bench_{uuid.uuid4().hex[:10]}"
    try:
        admin = sa.create_engine(url, connect_args={"connect_timeout": 3})
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    except Exception as exc:  # unreachable server: report, do not fail the other backend
        print(f"  PostgreSQL at {url}: skipped ({type(exc).__name__}: {str(exc).splitlines()[0]})")
        yield None
        return
    try:
        yield f"{url}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


def run(label: str, url: str, pairs: list[tuple[Post, Decision]], batch: int) -> dict[str, float]:
    gov = Governance(url, "cn-cac-2025", batch_size=batch)
    now = T0 + timedelta(days=91)
    t = time.perf_counter()
    cpu = time.process_time()
    for i in range(0, len(pairs), batch):
        gov.record_batch(pairs[i : i + batch], now=now)
    first = time.perf_counter() - t
    cpu_first = time.process_time() - cpu
    t = time.perf_counter()
    for i in range(0, len(pairs), batch):
        gov.record_batch(pairs[i : i + batch], now=now + timedelta(days=1))
    again = time.perf_counter() - t
    t = time.perf_counter()
    check = gov.verify_audit()
    verify_s = time.perf_counter() - t
    assert check.ok, check.problem
    from sqlalchemy import text

    with gov.store.engine.connect() as conn:
        counts = {name: conn.execute(text(f"select count(*) from {name}")).scalar_one()
                  for name in ("decisions", "signals", "strikes", "sanctions", "notices", "audit_events")}
    gov.store.dispose()
    n = len(pairs)
    print(f"  {label:<10} {n / first:>9,.0f} decisions/s  (CPU {n / cpu_first:,.0f}/s)   re-screen "
          f"{n / again:>9,.0f}/s   audit verify {check.events / verify_s:>9,.0f} events/s")
    print(f"  {'':<10} rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    return {"persist": n / first, "rescreen": n / again}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--pg", default=os.environ.get("BRIGHTLINE_BENCH_PG",
                                                   "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    args = ap.parse_args()
    t = time.perf_counter()
    pairs = workload(args.n)
    struck = sum(1 for _, d in pairs if d.rules)
    print(f"store: {args.n:,} decisions ({struck:,} break a rule), batches of {args.batch}; "
          f"workload built in {time.perf_counter() - t:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        run("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}", pairs, args.batch)
    with pg_schema(args.pg) as url:
        if url is not None:
            run("PostgreSQL", url, pairs, args.batch)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS {rss:,.0f} MB; python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
