"""Recycled media: an image first seen long ago, re-posted as new, is flagged with both dates."""

from __future__ import annotations

import io
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageEnhance

from brightline.engine import Engine
from brightline.errors import RegistryError
from brightline.media.phash import ImageHashError, PerceptualIndex, image_phash
from brightline.model import Post

ROOT = Path(__file__).resolve().parents[1]
PACKS = ROOT / "src" / "brightline" / "policy" / "packs"
sys.path.append(str(ROOT / "bench"))
from eval_integrity import scene  # noqa: E402  (the photo-like test picture the evaluation also uses)


def make_pack_media(folder: Path) -> None:
    """The images the pack test cases use (committed under packs/*/tests/media/, made by this function)."""
    folder.mkdir(parents=True, exist_ok=True)
    flood = scene(2021, (200, 150))
    flood.save(folder / "flood.png", optimize=True)
    flood.resize((160, 120)).save(folder / "flood_repost.jpg", quality=70)
    scene(4242, (200, 150)).save(folder / "street.png", optimize=True)


def test_committed_pack_media_are_the_generated_ones(tmp_path: Path) -> None:
    make_pack_media(tmp_path)
    for pack in ("cn-cac-2025", "eu-dsa-aiact"):
        for name in ("flood.png", "flood_repost.jpg", "street.png"):
            committed = PACKS / pack / "tests" / "media" / name
            assert committed.stat().st_size < 60_000
            assert bin(image_phash(committed) ^ image_phash(tmp_path / name)).count("1") <= 2


def save(im: Image.Image, path: Path, **kw: object) -> Path:
    im.save(path, **kw)
    return path


@pytest.fixture()
def pictures(tmp_path: Path) -> dict[str, Path]:
    base = scene(1)
    out = {
        "original": save(base, tmp_path / "original.jpg", quality=92),
        "resized": save(base.resize((240, 180)), tmp_path / "resized.png"),
        "recompressed": save(base, tmp_path / "recompressed.jpg", quality=25),
        "brighter": save(ImageEnhance.Brightness(base).enhance(1.2), tmp_path / "brighter.webp"),
        "captioned": tmp_path / "captioned.jpg",
        "other": save(scene(2), tmp_path / "other.jpg"),
    }
    cap = base.copy()
    ImageDraw.Draw(cap).text((10, 10), "BREAKING 今天", fill=(255, 255, 255))
    cap.save(out["captioned"])
    return out


def post(pid: str, path: Path, when: str, text: str) -> Post:
    return Post(id=pid, text=text, created_at=when, media=[{"path": str(path)}])  # type: ignore[arg-type]


@pytest.mark.parametrize("variant", ["original", "resized", "recompressed", "brighter", "captioned"])
def test_old_image_reposted_as_new_is_flagged_with_both_dates(pictures: dict[str, Path], variant: str) -> None:
    engine = Engine(detectors=["media_recycled"])
    assert engine.screen(post("old", pictures["original"], "2021-07-20T08:00:00Z", "暴雨后的街道")).signals == []
    d = engine.screen(post("new", pictures[variant], "2024-07-21T09:30:00Z", "刚刚！暴雨淹没了整条街"))
    [sig] = d.signals
    ev = sig.evidence
    assert sig.detector == "media.recycled"
    assert ev["first_seen"].startswith("2021-07-20") and ev["posted"].startswith("2024-07-21")
    assert ev["first_source"] == "post:old" and ev["age_days"] == 1097
    assert ev["distance"] <= 10 and ev["cue"] == "刚刚" and ev["excerpt"] == "刚刚"


def test_no_flag_without_new_wording_when_recent_or_when_different(pictures: dict[str, Path]) -> None:
    engine = Engine(detectors=["media_recycled"])
    engine.screen(post("old", pictures["original"], "2021-07-20T08:00:00Z", "old photo"))
    assert engine.screen(post("a", pictures["resized"], "2024-07-21T09:30:00Z", "Throwback to the 2021 floods")).signals == []
    assert engine.screen(post("b", pictures["resized"], "2021-07-25T09:30:00Z", "Breaking: streets flooded")).signals == []
    assert engine.screen(post("c", pictures["other"], "2024-07-21T09:30:00Z", "Breaking: streets flooded")).signals == []


def test_english_cue_in_the_title(pictures: dict[str, Path]) -> None:
    engine = Engine(detectors=["media_recycled"])
    engine.screen(post("old", pictures["original"], "2020-01-01T00:00:00Z", ""))
    p = Post(id="n", title="Happening now: flood", text="wow", created_at="2023-01-01T00:00:00Z",
             media=[{"path": str(pictures["recompressed"])}])  # type: ignore[arg-type]
    ev = engine.screen(p).signals[0].evidence
    assert ev["field"] == "title" and ev["cue"] == "happening now"


def test_index_file_is_loaded_and_appended(pictures: dict[str, Path], tmp_path: Path) -> None:
    index = tmp_path / "seen.jsonl"
    h = image_phash(pictures["original"])
    index.write_text(json.dumps({"hash": f"{h:016x}", "first_seen": "2019-05-01", "source": "archive:2019/flood"}) + "\n",
                     encoding="utf-8")
    engine = Engine(detectors=["media_recycled"], detector_options={"media_recycled": {"index": str(index), "min_age_days": 365}})
    d = engine.screen(post("n", pictures["captioned"], "2024-07-21T09:30:00Z", "今天的暴雨现场"))
    ev = d.signals[0].evidence
    assert ev["first_seen"].startswith("2019-05-01") and ev["first_source"] == "archive:2019/flood"
    engine.screen(post("x", pictures["other"], "2024-07-22T00:00:00Z", "新图"))
    lines = [json.loads(x) for x in index.read_text(encoding="utf-8").splitlines()]
    assert [x["source"] for x in lines] == ["archive:2019/flood", "post:n", "post:x"]
    reloaded = PerceptualIndex(index)
    assert len(reloaded) == 3
    assert reloaded.nearest(h, 0).source == "archive:2019/flood"  # the earliest sighting wins


def test_save_writes_one_line_per_image(tmp_path: Path) -> None:
    idx = PerceptualIndex()
    idx.add(0xABC, datetime(2022, 1, 1, tzinfo=timezone.utc), "a")
    idx.add(0xABC, datetime(2021, 1, 1, tzinfo=timezone.utc), "b")
    idx.add(0xFFF0, datetime(2023, 1, 1), "c")
    idx.save(tmp_path / "out.jsonl")
    back = PerceptualIndex(tmp_path / "out.jsonl")
    assert len(back) == 2 and back.nearest(0xABC, 0).source == "b"
    assert back.nearest(0xABD, 1).distance == 1 and back.nearest(0x123456, 3) is None


@pytest.mark.parametrize(
    "line", ['{"hash": "zz", "first_seen": "2020-01-01"}', '{"first_seen": "2020-01-01"}', "not json",
             '{"hash": "00ff", "first_seen": "soon"}', '{"hash": "1ffffffffffffffff", "first_seen": "2020-01-01"}'],
)
def test_bad_index_lines_name_the_line(tmp_path: Path, line: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"hash": "00ff", "first_seen": "2020-01-01"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        PerceptualIndex(path)
    assert err.value.line == 2 and "bad.jsonl:2" in str(err.value)


def test_hostile_media_never_crash_the_screen(tmp_path: Path) -> None:
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "junk.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    buf = io.BytesIO()
    scene(3).save(buf, "PNG")
    (tmp_path / "truncated.png").write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    # A PNG header declaring 100000 x 100000 pixels: refused before decoding.
    bomb = buf.getvalue()[:16] + (100000).to_bytes(4, "big") * 2 + buf.getvalue()[24:200]
    (tmp_path / "bomb.png").write_bytes(bomb)
    engine = Engine(detectors=["media_recycled"])
    names = ["empty.png", "junk.jpg", "truncated.png", "bomb.png", "missing.png", "clip.mp4"]
    p = Post(id="p", text="刚刚", media=[{"path": n} for n in names])  # type: ignore[arg-type]
    d = engine.screen(p, base_path=tmp_path)
    assert d.signals == [] and not d.errors
    for n in names[:5]:
        with pytest.raises(ImageHashError):
            image_phash(tmp_path / n)


def test_screen_media_index_option_persists_sightings_between_runs(pictures: dict[str, Path], tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from brightline.cli.app import app

    index = tmp_path / "seen.jsonl"
    first = tmp_path / "2021.jsonl"
    first.write_text(json.dumps({"kind": "post", "id": "o", "text": "flood", "created_at": "2021-07-20T08:00:00Z",
                                 "media": [{"path": "original.jpg"}]}) + "\n", encoding="utf-8")
    later = tmp_path / "2024.jsonl"
    later.write_text(json.dumps({"kind": "post", "id": "n", "text": "刚刚！暴雨淹没了整条街", "created_at": "2024-07-21T09:30:00Z",
                                 "media": [{"path": "recompressed.jpg"}]}) + "\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["screen", str(first), "-q", "--media-index", str(index)]).exit_code == 0
    assert index.read_text(encoding="utf-8").count("post:o") == 1
    out = runner.invoke(app, ["screen", str(later), "-q", "--media-index", str(index)])
    decision = json.loads(out.stdout.splitlines()[0])
    sig = next(s for s in decision["signals"] if s["detector"] == "media.recycled")
    assert sig["evidence"]["first_source"] == "post:o" and "media.recycled.restrict" in decision["rules"]
    index.write_text("garbage\n", encoding="utf-8")
    bad = runner.invoke(app, ["screen", str(later), "-q", "--media-index", str(index)])
    assert bad.exit_code == 2 and "seen.jsonl:1" in bad.output.replace("\n", "")
