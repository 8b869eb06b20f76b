"""Concurrency and crashes, with real processes: exactly one of several deciders wins a case, concurrent
claims never share a case, concurrent writers keep one intact audit chain, and a screening batch killed
with SIGKILL leaves no half-written decision and loses nothing it had already written out."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from brightline.engine import Engine
from brightline.governance import Governance
from brightline.model import Account, Post, Report
from brightline.store import Store

from .conftest import at

WORKER = textwrap.dedent(
    """
    import json, os, sys, time
    from datetime import datetime
    from brightline.governance import Governance
    from brightline.model import Post

    now = datetime.fromisoformat("2025-07-01T12:00:00+00:00")
    for line in sys.stdin:  # one job per line; the parent releases all workers at once with a "go" file
        job = json.loads(line)
        gov, who = Governance(job["url"], job["pack"]), job["who"]
        print("ready", flush=True)
        while not os.path.exists(job["go"]):
            time.sleep(0.002)
        try:
            if job["job"] == "decide":
                out = {"ok": gov.decide(1, who, "remove", "by " + who, now=now)["decision"]}
            elif job["job"] == "claim":
                view = gov.next_case(who, now=now)
                out = {"ok": view["case"]["id"] if view else None}
            else:
                for i in range(25):
                    owner = "shared" if job["job"] == "write_same" else who
                    post = Post(id=f"w{owner}-{i}", account_id=f"acc{owner}", text=str(i), topic="contact")
                    gov.record(post, gov.pack.decide(post.ref, post, []), now=now)
                out = {"ok": 25}
        except Exception as exc:
            out = {"error": f"{type(exc).__name__}: {exc}"}
        gov.store.dispose()  # no idle connection may outlive the test's schema
        print(json.dumps(out), flush=True)
    """
)


class Workers:
    """Long-lived worker processes (Python and brightline start once per module, not once per race)."""

    def __init__(self, folder: Path, n: int) -> None:
        script = folder / "worker.py"
        script.write_text(WORKER, encoding="utf-8")
        self.folder = folder
        self.procs = [
            subprocess.Popen([sys.executable, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
            for _ in range(n)
        ]
        self.races = 0

    def race(self, url: str, pack: Path, job: str, names: list[str]) -> list[dict[str, Any]]:
        """Give each named worker the job, release them at the same instant, collect what each reports."""
        self.races += 1
        go = self.folder / f"go-{self.races}"
        procs = self.procs[: len(names)]
        for p, name in zip(procs, names):
            assert p.stdin is not None
            p.stdin.write(json.dumps({"job": job, "url": url, "pack": str(pack), "who": name, "go": str(go)}) + "\n")
            p.stdin.flush()
        for p in procs:
            assert p.stdout is not None
            line = p.stdout.readline().strip()
            assert line == "ready", (line, p.stderr.read() if p.poll() is not None and p.stderr else "")
        go.write_text("go")
        return [json.loads(p.stdout.readline()) for p in procs]  # type: ignore[union-attr]

    def close(self) -> None:
        for p in self.procs:
            assert p.stdin is not None
            p.stdin.close()
        for p in self.procs:
            p.wait(timeout=60)


@pytest.fixture(scope="module")
def workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workers]:
    pool = Workers(tmp_path_factory.mktemp("workers"), 4)
    yield pool
    pool.close()


def open_case(store: Store, pack: Path, subjects: list[str]) -> None:
    gov = Governance(store, str(pack))
    engine = Engine(str(pack), detectors=[], governance=gov)
    engine.screen(Account(id="a1", display_name="A"), now=at())
    for s in subjects:
        engine.screen(Post(id=s, account_id="a1", text=s), now=at())
        gov.submit_report(Report(id=f"r-{s}", reporter_id="u1", subject={"kind": "post", "id": s}, reason="spam"),
                          now=at())


def test_of_four_processes_deciding_one_case_exactly_one_wins(workers: Workers, store: Store, pack_dir: Path) -> None:
    open_case(store, pack_dir, ["p1"])
    results = workers.race(store.url, pack_dir, "decide", ["alice", "bob", "carol", "dave"])
    winners = [r for r in results if "ok" in r]
    assert len(winners) == 1, results
    assert all("already decided" in r["error"] for r in results if "error" in r), results
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from reviews")).scalar_one() == 1
        assert conn.execute(sa.text("select count(*) from decisions where source = 'review'")).scalar_one() == 1
        assert conn.execute(sa.text("select count(*) from strikes")).scalar_one() == 1
    assert Governance(store, str(pack_dir)).verify_audit().ok


def test_concurrent_claims_never_share_a_case(workers: Workers, store: Store, pack_dir: Path) -> None:
    open_case(store, pack_dir, ["p1", "p2", "p3"])
    results = workers.race(store.url, pack_dir, "claim", ["r1", "r2", "r3", "r4"])
    claimed = [r["ok"] for r in results]
    assert sorted(c for c in claimed if c is not None) == [1, 2, 3] and claimed.count(None) == 1, results


def test_concurrent_writers_keep_one_intact_chain(workers: Workers, store: Store, pack_dir: Path) -> None:
    results = workers.race(store.url, pack_dir, "write", ["1", "2", "3"])
    assert all(r == {"ok": 25} for r in results), results
    result = Governance(store, str(pack_dir)).verify_audit()
    assert result.ok, result.problem
    with store.engine.connect() as conn:
        seqs = [r[0] for r in conn.execute(sa.text("select seq from audit_events order by seq"))]
        assert conn.execute(sa.text("select count(*) from decisions")).scalar_one() == 75
    assert seqs == list(range(1, len(seqs) + 1))


def test_two_screeners_of_the_same_items_store_each_decision_once(workers: Workers, store: Store,
                                                                  pack_dir: Path) -> None:
    results = workers.race(store.url, pack_dir, "write_same", ["1", "2", "3"])
    assert all(r == {"ok": 25} for r in results), results
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from items")).scalar_one() == 25
        assert conn.execute(sa.text("select count(*) from decisions")).scalar_one() == 25
        assert conn.execute(sa.text("select count(*) from strikes")).scalar_one() == 25
    assert Governance(store, str(pack_dir)).verify_audit().ok


@pytest.mark.slow
def test_a_killed_batch_leaves_no_half_written_decision(tmp_path: Path, db_url: str, pack_dir: Path,
                                                        brightline: Any) -> None:
    n = 3000
    src = tmp_path / "big.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"kind": "post", "id": f"p{i}", "account_id": f"a{i % 50}", "text": f"post {i}",
                                 "topic": "contact" if i % 3 == 0 else None}) + "\n")
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "brightline", "screen", str(src), "-o", str(out), "--policy", str(pack_dir),
         "--db", db_url, "-q"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "COLUMNS": "200"},
    )
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.stat().st_size > 64 * 1024:  # several batches written out
            break
        time.sleep(0.01)
    assert proc.poll() is None, "finished before it could be killed; raise n"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.endswith("}")]
    assert 0 < len(written) < n

    store = Store(db_url)
    try:
        with store.engine.connect() as conn:
            stored = {r[0]: r[1] for r in conn.execute(sa.text("select subject_id, body from decisions"))}
            made = conn.execute(sa.text("select count(*) from audit_events where type = 'decision.made'")).scalar_one()
            strikes = conn.execute(sa.text("select count(*) from strikes")).scalar_one()
            struck = sum(1 for b in stored.values()
                         if any(a["type"] == "strike" for a in (json.loads(b) if isinstance(b, str) else b)["actions"]))
        # Everything written out was committed, exactly as written.
        for rec in written:
            body = stored[rec["subject"]["id"]]
            assert (json.loads(body) if isinstance(body, str) else body) == rec
        # Nothing half-written: every stored decision has its audit event and its strike rows.
        assert made == len(stored) and strikes == struck
        assert Governance(store, str(pack_dir)).verify_audit().ok
        # The rerun finishes the job without duplicating what was already stored.
        rerun = brightline("screen", src, "-o", tmp_path / "out2.jsonl", "--policy", pack_dir, "--db", db_url, "-q")
        assert rerun.returncode == 0, rerun.stderr
        with store.engine.connect() as conn:
            assert conn.execute(sa.text("select count(*) from decisions")).scalar_one() == n
            assert conn.execute(sa.text("select count(distinct item_id) from decisions")).scalar_one() == n
        again = [json.loads(line) for line in (tmp_path / "out2.jsonl").read_text(encoding="utf-8").splitlines()]
        assert again[: len(written)] == written
    finally:
        store.dispose()
