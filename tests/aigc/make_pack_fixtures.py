"""Generate the small media files the aigc policy-pack cases use (``policy/packs/cn-cac-2025/tests/aigc-media/``).

Run from the repository root: ``.venv/bin/python -m tests.aigc.make_pack_fixtures`` or as a script. The files are
committed (a few KiB each) so ``brightline policy test`` runs without generating anything; ``test_pack_fixtures``
checks that the committed files still say what the cases rely on. The C2PA file is signed with a throw-away
certificate made here (valid for 50 years, so the case does not expire), so regenerating it changes its bytes
but not its meaning.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

from PIL import Image, PngImagePlugin

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "src/brightline/policy/packs/cn-cac-2025/tests/aigc-media"
PRODUCER = "001191440300708461136T1XGW3"


def _png(path: Path, text: dict[str, str], color: tuple[int, int, int]) -> None:
    info = PngImagePlugin.PngInfo()
    for key, value in text.items():
        info.add_text(key, value)
    Image.new("RGB", (64, 64), color).save(path, pnginfo=info)


def _record(label: str) -> str:
    return json.dumps({"AIGC": {"Label": label, "ContentProducer": PRODUCER, "ProduceID": "gen-0001",
                                "ReservedCode1": "", "ContentPropagator": PRODUCER, "PropagateID": "gen-0001",
                                "ReservedCode2": ""}}, separators=(",", ":"))


def main() -> None:
    """Write every fixture file."""
    OUT.mkdir(parents=True, exist_ok=True)
    _png(OUT / "plain.png", {}, (90, 120, 150))
    _png(OUT / "labelled.png", {"AIGC": _record("1")}, (200, 60, 60))
    _png(OUT / "label3.png", {"AIGC": _record("3")}, (60, 200, 60))
    _png(OUT / "sd-params.png", {"parameters": "a cat in a hat\nNegative prompt: blurry\nSteps: 20, Sampler: Euler a, "
                                              "CFG scale: 7, Seed: 42, Size: 512x512, Model hash: 6ce0161689"}, (60, 60, 200))
    broken = io.BytesIO()
    Image.new("RGB", (64, 64), (1, 2, 3)).save(broken, "PNG")
    (OUT / "broken.png").write_bytes(broken.getvalue()[:40])
    sys.path.insert(0, str(ROOT))
    from tests.aigc.conftest import ManifestSigner, jpeg_bytes

    signed = ManifestSigner(days=365 * 50).sign(jpeg_bytes((64, 64)), "image/jpeg", [{
        "action": "c2pa.created",
        "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
    }])
    (OUT / "c2pa-ai.jpg").write_bytes(signed)


if __name__ == "__main__":
    main()
