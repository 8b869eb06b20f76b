"""Benchmark the aigc detector and the `brightline label` writers; prints figures (no assertions).

    .venv/bin/python bench/aigc.py [--posts 20000] [--images 60]

1. The detector on text-only posts (the publish path): mixed zh/en, 5 % carry a visible mark or a declaration.
2. The detector on posts with one 512x512 image each: metadata only, then with the C2PA and watermark sources.
3. Implicit-label writing per format (small generated files, the producer's record updated in place).
4. Explicit labels: image overlay (1024x768 JPEG), 5 s 640x360 video starting label, audio rhythm prompt.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np  # noqa: E402
from PIL import Image, ImageFilter, PngImagePlugin  # noqa: E402

from brightline.detectors.aigc import AigcDetector  # noqa: E402
from brightline.engine import Engine  # noqa: E402
from brightline.media import explicit  # noqa: E402
from brightline.media.writers import RecordEdit, write_implicit_label  # noqa: E402
from brightline.model import Post  # noqa: E402
from brightline.registries import Registries  # noqa: E402

RECORD = {"Label": "1", "ContentProducer": "001191440300708461136T1XGW3", "ProduceID": "gen-1", "ReservedCode1": "",
          "ContentPropagator": "001191440300708461136T1XGW3", "PropagateID": "gen-1", "ReservedCode2": ""}
TEXTS = [
    "今天天气很好，我们去公园散步吧，顺便看看新开的咖啡店，人很多。",
    "Breaking: the city council approved the new budget for schools and roads this week.",
    "分享一个做饭小技巧：先把锅烧热再放油，菜就不容易粘锅。",
    "Weekend hike photos from the ridge trail, clear skies and a lot of wind.",
]
MARKED = ["这张海报是AI生成的，欢迎转发", "Cover art is AI-generated, prompts in the comments"]


def _rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}/s ({seconds / n * 1e6:,.1f} us each)" if seconds > 0 else "n/a"


def bench_text(posts: int) -> None:
    rnd = random.Random(1)
    items = []
    for i in range(posts):
        r = rnd.random()
        text = rnd.choice(MARKED) if r < 0.03 else rnd.choice(TEXTS)
        items.append(Post(id=str(i), text=text, declared_ai=0.03 <= r < 0.05))
    det = AigcDetector(Registries.load(), {})
    ctx = Engine("cn-cac-2025").context()
    t = time.perf_counter()
    hits = sum(1 for p in items if det.detect(p, ctx))
    dt = time.perf_counter() - t
    print(f"detector, text-only posts: {posts:,} posts, {hits:,} with a signal: {_rate(posts, dt)}")


def _images(folder: Path, n: int) -> list[str]:
    rnd = np.random.default_rng(2)
    names = []
    for i in range(n):
        noise = (rnd.random((512, 512, 3)) * 255).astype(np.uint8)
        im = Image.fromarray(noise).filter(ImageFilter.GaussianBlur(2))
        name = f"img{i}.png"
        info = PngImagePlugin.PngInfo()
        if i % 3 == 0:
            info.add_text("AIGC", json.dumps({"AIGC": RECORD}))
        im.save(folder / name, pnginfo=info)
        names.append(name)
    return names


def bench_media_posts(folder: Path, n: int) -> None:
    names = _images(folder, n)
    posts = [Post(id=str(i), text="图", media=[{"path": name}]) for i, name in enumerate(names)]
    ctx = Engine("cn-cac-2025").context(base_path=folder)
    registries = Registries.load()
    for label, options in (("metadata only", {"c2pa": False, "watermark": False}), ("+ C2PA + watermark", {})):
        det = AigcDetector(registries, options)
        det.detect(posts[0], ctx)  # load c2pa / OpenCV once, outside the timing
        t = time.perf_counter()
        for p in posts:
            det.detect(p, ctx)
        print(f"detector, posts with one 512x512 PNG ({label}): {_rate(len(posts), time.perf_counter() - t)}")


def _producer_files(folder: Path) -> dict[str, Path]:
    rec = json.dumps(RECORD)
    out: dict[str, Path] = {}
    info = PngImagePlugin.PngInfo()
    info.add_text("AIGC", json.dumps({"AIGC": RECORD}))
    Image.new("RGB", (256, 256), (9, 99, 199)).save(folder / "p.png", pnginfo=info)
    out["png"] = folder / "p.png"
    xmp = (f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           f'<rdf:Description rdf:about="" xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/">'
           f"<TC260:AIGC>{rec.replace('&', '&amp;').replace('<', '&lt;')}</TC260:AIGC></rdf:Description></rdf:RDF></x:xmpmeta>").encode()
    Image.new("RGB", (256, 256), (9, 99, 199)).save(folder / "p.jpg", xmp=xmp)
    out["jpeg"] = folder / "p.jpg"
    Image.new("RGB", (256, 256), (9, 99, 199)).save(folder / "p.webp", xmp=xmp)
    out["webp"] = folder / "p.webp"
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\x00\x00" * 16000 * 2)
    (folder / "p.wav").write_bytes(buf.getvalue())
    out["wav"] = folder / "p.wav"
    (folder / "p.md").write_text("---\ntitle: t\n---\nbody\n", encoding="utf-8")
    out["markdown"] = folder / "p.md"
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg:
        subprocess.run([ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=25", "-t", "5",
                        "-pix_fmt", "yuv420p", "-c:v", "libx264", "-metadata", f"AIGC={rec}", "-movflags",
                        "use_metadata_tags", str(folder / "p.mp4")], check=True)
        out["mp4"] = folder / "p.mp4"
        subprocess.run([ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=5", "-b:a",
                        "128k", str(folder / "p.mp3")], check=True)
        out["mp3"] = folder / "p.mp3"
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(200, 200)
    w.write(folder / "p.pdf")
    out["pdf"] = folder / "p.pdf"
    return out


def bench_writers(folder: Path, rounds: int = 40) -> dict[str, Path]:
    files = _producer_files(folder)
    print("implicit label (update or add the record, streamed copy, re-read check):")
    for fmt, path in files.items():
        times = []
        for i in range(rounds):
            t = time.perf_counter()
            write_implicit_label(path, folder / f"out{i % 2}{path.suffix}", RecordEdit("PLATFORM", f"id-{i}", new_label="3"))
            times.append(time.perf_counter() - t)
        size = path.stat().st_size
        print(f"  {fmt:9s} {size / 1024:8.1f} KiB  median {statistics.median(times) * 1000:7.2f} ms")
    return files


def bench_explicit(folder: Path, files: dict[str, Path]) -> None:
    big = folder / "big.jpg"
    Image.new("RGB", (1024, 768), (120, 130, 140)).save(big, quality=90)
    t = time.perf_counter()
    box = explicit.overlay_image(big, folder / "big-out.jpg", "suspected")
    print(f"explicit image overlay 1024x768 JPEG: {(time.perf_counter() - t) * 1000:.0f} ms, "
          f"text {box.text_height} px = {box.text_height / 768:.1%} of the shortest side")
    if "mp4" in files:
        t = time.perf_counter()
        explicit.overlay_video(files["mp4"], folder / "v-out.mp4", "confirmed")
        print(f"explicit video starting label, 5 s 640x360 H.264: {time.perf_counter() - t:.2f} s (re-encode)")
    for fmt in ("wav", "mp3"):
        if fmt in files:
            t = time.perf_counter()
            explicit.prepend_rhythm(files[fmt], folder / f"r-out{files[fmt].suffix}")
            print(f"audio rhythm prompt, 5 s {fmt}: {(time.perf_counter() - t) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20000)
    parser.add_argument("--images", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench_text(args.posts)
        bench_media_posts(folder, args.images)
        files = bench_writers(folder)
        bench_explicit(folder, files)


if __name__ == "__main__":
    main()
