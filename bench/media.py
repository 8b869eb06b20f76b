"""Media inspection benchmark: brightline's metadata reads vs ``exiftool -j`` on the same 1,000 files.

Generates 1,000 small files of mixed types in a temporary folder (JPEG, PNG, WebP, GIF, TIFF, MP4, MOV,
WAV, MP3, FLAC, Ogg, PDF, DOCX, Markdown; about a third carry a GB 45438 label, some IPTC or SD metadata),
then prints, each measured in its own subprocess so peak RSS is that run's alone:

- brightline ``inspect_file(path, sources=())`` (metadata carriers only: what the SPEC target is about);
- brightline ``inspect_file(path)`` with every registered record source (C2PA, watermark) for reference;
- ``exiftool -j`` over all files in one process, and exiftool started once per file on a sample;
- brightline on one 4 GiB (sparse) MP4 with ``moov`` after ``mdat``: memory must not grow with file size.

Run: ``.venv/bin/python bench/media.py [--files 1000] [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import wave
import zipfile
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

PRODUCER = "001191440300708461136T1XGW3"
TYPES = ("jpeg", "png", "webp", "gif", "tiff", "mp4", "mov", "wav", "mp3", "flac", "ogg", "pdf", "docx", "md")
SUFFIX = {"jpeg": ".jpg", "tiff": ".tif", "md": ".md"}


def label(i: int, wrapped: bool = True) -> str:
    fields = {"Label": "1", "ContentProducer": PRODUCER, "ProduceID": f"bench{i:06d}", "ReservedCode1": "",
              "ContentPropagator": PRODUCER, "PropagateID": f"bench{i:06d}", "ReservedCode2": ""}
    return json.dumps({"AIGC": fields} if wrapped else fields, separators=(",", ":"))


def xmp(i: int) -> bytes:
    from xml.sax.saxutils import escape

    return ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/" '
            'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">'
            f"<TC260:AIGC>{escape(label(i, wrapped=False))}</TC260:AIGC>"
            "<Iptc4xmpExt:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
            "</Iptc4xmpExt:DigitalSourceType></rdf:Description></rdf:RDF></x:xmpmeta>").encode()


def _image(i: int):  # type: ignore[no-untyped-def]
    from PIL import Image

    # Noise-free gradients compress like real small pictures; 256 px keeps the set near real upload sizes.
    img = Image.linear_gradient("L").resize((256, 256)).convert("RGB")
    return img.rotate(i % 360)


def make_image(kind: str, path: Path, i: int, labelled: bool) -> None:
    from PIL import PngImagePlugin

    img = _image(i)
    if kind == "png":
        info = PngImagePlugin.PngInfo()
        if labelled:
            info.add_text("AIGC", label(i))
        if i % 7 == 0:
            info.add_text("parameters", f"a photo {i}\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: {i}")
        img.save(path, pnginfo=info)
    elif kind in ("jpeg", "webp"):
        img.save(path, quality=85, **({"xmp": xmp(i)} if labelled else {}))
    elif kind == "tiff":
        img.save(path, **({"tiffinfo": {700: xmp(i)}} if labelled else {}))
    else:  # gif, with XMP in the application extension when labelled
        buf = io.BytesIO()
        img.convert("P").save(buf, "GIF")
        data = buf.getvalue()
        if labelled:
            trailer = b"\x01" + bytes(range(255, -1, -1)) + b"\x00"
            data = data[:-1] + b"\x21\xff\x0bXMP DataXMP" + xmp(i) + trailer + data[-1:]
        path.write_bytes(data)


def make_av_bases(work: Path) -> dict[tuple[str, bool], bytes]:
    """One labelled and one plain base file per audio/video type, written by ffmpeg (and mutagen)."""
    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        sys.exit("bench/media.py needs ffmpeg (make sysdeps)")
    from mutagen.flac import FLAC
    from mutagen.id3 import ID3, TXXX
    from mutagen.oggvorbis import OggVorbis

    work.mkdir(parents=True, exist_ok=True)
    bases: dict[tuple[str, bool], bytes] = {}
    video = ["-f", "lavfi", "-i", "testsrc=s=320x240:d=2:r=15", "-f", "lavfi", "-i", "sine=d=2", "-shortest",
             "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac"]
    audio = ["-f", "lavfi", "-i", "sine=d=2"]
    for kind in ("mp4", "mov", "wav", "mp3", "flac", "ogg"):
        for labelled in (False, True):
            out = work / f"base-{labelled}.{kind}"
            args = [ffmpeg, "-v", "error", "-y", *(video if kind in ("mp4", "mov") else audio)]
            if kind == "ogg":
                args += ["-c:a", "libvorbis"]
            if labelled and kind in ("mp4", "mov"):
                args += ["-movflags", "use_metadata_tags", "-metadata", f"AIGC={label(0, wrapped=False)}"]
            if labelled and kind == "wav":
                args += ["-metadata", f"comment={label(0)}"]
            subprocess.run([*args, str(out)], check=True)
            if labelled and kind == "mp3":
                tags = ID3()
                tags.add(TXXX(encoding=3, desc="AIGC", text=[label(0)]))
                tags.save(out)
            elif labelled and kind in ("flac", "ogg"):
                audio_file = FLAC(out) if kind == "flac" else OggVorbis(out)
                audio_file["AIGC"] = label(0)
                audio_file.save()
            bases[(kind, labelled)] = out.read_bytes()
    return bases


def make_pdf(path: Path, i: int, labelled: bool) -> None:
    _image(i).resize((64, 64)).save(path, "PDF", title=label(i) if labelled else f"report {i}")


def make_docx(path: Path, i: int, labelled: bool) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        zf.writestr("word/document.xml", "<w:document xmlns:w='urn:w'><w:body>" + "text " * 400 + "</w:body></w:document>")
        if labelled:
            zf.writestr("docProps/custom.xml",
                        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
                        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property '
                        'fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="AIGC"><vt:lpwstr>'
                        + label(i, wrapped=False).replace("&", "&amp;") + "</vt:lpwstr></property></Properties>")


def generate(folder: Path, n: int) -> list[Path]:
    bases = make_av_bases(folder / "_bases")
    files = []
    for i in range(n):
        kind = TYPES[i % len(TYPES)]
        labelled = i % 3 == 0
        path = folder / f"f{i:05d}{SUFFIX.get(kind, '.' + kind)}"
        if kind in ("jpeg", "png", "webp", "gif", "tiff"):
            make_image(kind, path, i, labelled)
        elif kind == "pdf":
            make_pdf(path, i, labelled)
        elif kind == "docx":
            make_docx(path, i, labelled)
        elif kind == "md":
            front = f"---\ntitle: note {i}\nAIGC: {label(i, wrapped=False)}\n---\n" if labelled else ""
            path.write_text(front + f"# Note {i}\n\n" + "Some text. " * 200, encoding="utf-8")
        else:
            path.write_bytes(bases[(kind, labelled)])
        files.append(path)
    shutil.rmtree(folder / "_bases")
    return files


# --- measurement ----------------------------------------------------------------------------------------------

CHILD = r"""
import json, sys, time
from brightline.media import inspect_file
files = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")]
sources = () if sys.argv[2] == "metadata" else None
inspect_file(files[0], sources=sources)  # import and plug-in loading are not per-file costs
t0 = time.perf_counter()
found = errors = 0
for f in files:
    r = inspect_file(f, sources=sources)
    found += bool(r.records)
    errors += bool(r.errors)
elapsed = time.perf_counter() - t0
print(json.dumps({"elapsed": elapsed, "found": found, "errors": errors}))
"""


def run_measured(cmd: list[str]) -> tuple[float, int, str]:
    """Run ``cmd``; return (wall seconds, peak RSS in KiB, stdout) of that process alone."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        sys.exit(f"{cmd[0]} exited with {proc.returncode}")
    return time.perf_counter() - t0, usage.ru_maxrss, out


def brightline_run(list_file: Path, mode: str) -> dict[str, float]:
    wall, rss, out = run_measured([sys.executable, "-c", CHILD, str(list_file), mode])
    res = json.loads(out)
    res.update(wall=wall, rss_kib=rss)
    return res


def sparse_mp4(path: Path, size: int) -> None:
    """ftyp + a ``size``-byte mdat (sparse, never written) + moov/udta/meta with an AIGC key at the end."""
    def box(t: bytes, p: bytes) -> bytes:
        return struct.pack(">I", 8 + len(p)) + t + p

    key = b"AIGC"
    keys = box(b"keys", b"\0\0\0\0" + struct.pack(">II", 1, 8 + len(key)) + b"mdta" + key)
    ilst = box(b"ilst", box(struct.pack(">I", 1), box(b"data", struct.pack(">II", 1, 0) + label(1).encode())))
    moov = box(b"moov", box(b"udta", box(b"meta", b"\0\0\0\0" + box(b"hdlr", b"\0" * 8 + b"mdta" + b"\0" * 13)
                                         + keys + ilst)))
    ftyp = box(b"ftyp", b"isom\0\0\2\0isom")
    with path.open("wb") as fh:
        fh.write(ftyp + struct.pack(">I4sQ", 1, b"mdat", 16 + size))
        fh.seek(len(ftyp) + 16 + size)
        fh.write(moov)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    ap.add_argument("--per-file-sample", type=int, default=40, help="files for the exiftool-per-file figure")
    args = ap.parse_args()
    exiftool = shutil.which("exiftool")
    if not exiftool:
        sys.exit("bench/media.py needs exiftool (make sysdeps)")

    tmp = None if args.keep else tempfile.TemporaryDirectory(prefix="bench-media-")
    folder = args.keep or Path(tmp.name)  # type: ignore[union-attr]
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    files = generate(folder, args.files)
    total = sum(f.stat().st_size for f in files)
    kinds = Counter(f.suffix for f in files)
    print(f"generated {len(files)} files ({total / 1e6:.1f} MB; {dict(sorted(kinds.items()))}) "
          f"in {time.perf_counter() - t0:.1f}s")
    list_file = folder / "_files.txt"
    list_file.write_text("\n".join(map(str, files)) + "\n", encoding="utf-8")

    meta = brightline_run(list_file, "metadata")
    full = brightline_run(list_file, "all")
    ex_wall, ex_rss, ex_out = run_measured([exiftool, "-j", "-q", "-fast", "-@", str(list_file)])
    ex_found = sum(1 for d in json.loads(ex_out or "[]") if any("AIGC" in k.upper() or "Aigc" in k for k in d))
    sample = files[: args.per_file_sample]
    t1 = time.perf_counter()
    for f in sample:
        subprocess.run([exiftool, "-j", "-q", str(f)], stdout=subprocess.DEVNULL, check=False)
    per_file_rate = len(sample) / (time.perf_counter() - t1)

    n = len(files)
    meta_rate, full_rate, ex_rate = n / meta["elapsed"], n / full["elapsed"], n / ex_wall
    print(f"\nmachine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{datetime.now(timezone.utc):%Y-%m-%d}")
    print(f"{'run':<46}{'files/s':>10}{'peak RSS':>12}{'found':>8}{'errors':>8}")
    print(f"{'brightline inspect_file, metadata only':<46}{meta_rate:>10,.0f}{meta['rss_kib'] / 1024:>10.1f}MB"
          f"{meta['found']:>8}{meta['errors']:>8}")
    print(f"{'brightline inspect_file, + C2PA/watermark':<46}{full_rate:>10,.0f}{full['rss_kib'] / 1024:>10.1f}MB"
          f"{full['found']:>8}{full['errors']:>8}")
    print(f"{'exiftool -j -fast, one process, all files':<46}{ex_rate:>10,.0f}{ex_rss / 1024:>10.1f}MB{ex_found:>8}")
    print(f"{'exiftool -j, one process per file':<46}{per_file_rate:>10,.1f}{'':>12}")
    print(f"\nbrightline metadata-only / exiftool one process: {meta_rate / ex_rate:.1f}x  (SPEC target >= 20x)")
    print(f"brightline metadata-only / exiftool per file:    {meta_rate / per_file_rate:.0f}x")

    big = folder / "_huge.mp4"
    sparse_mp4(big, 4 * 1024**3)
    big_list = folder / "_big.txt"
    big_list.write_text(f"{big}\n{big}\n", encoding="utf-8")
    res = brightline_run(big_list, "metadata")
    small_list = folder / "_one.txt"
    small_list.write_text(f"{files[5]}\n{files[5]}\n", encoding="utf-8")
    base = brightline_run(small_list, "metadata")
    print(f"\n4 GiB sparse MP4 (moov at the end): {res['elapsed'] * 1000:.2f} ms, label found: {bool(res['found'])}, "
          f"peak RSS {res['rss_kib'] / 1024:.1f} MB (vs {base['rss_kib'] / 1024:.1f} MB on a 1 MB-class file)")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
