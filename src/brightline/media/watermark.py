"""The Stable Diffusion invisible watermark (imwatermark ``dwtDct``), decoded as a provenance *trace*.

Stable Diffusion's reference scripts stamp every output with ``invisible-watermark``'s ``dwtDct`` method
(reference/aigc-labelling.md §5): SD v1 the 17 bytes ``StableDiffusionV1`` (136 bits), SD 2.x ``SDV2``
(32 bits), SDXL / generative-models the 48 bits ``0xB3EC907BB19E``. Decoding is probabilistic, so a hit needs a
low bit-error rate *and* an error count that chance alone would almost never give (binomial tail ≤ 1e-6 for a
random image); even then it only makes the content *suspected* AI (Measures Art. 6(3)).

``invisible-watermark`` is an optional extra (``pip install brightline[watermark]``; ``make`` installs it): its
package ``__init__`` imports torch for the RivaGAN method, which brightline never uses. So the ``dwtDct``
implementation (``imwatermark/maxDct.py``) is loaded directly from the installed package, which needs only
numpy, PyWavelets and OpenCV. Encoding and the reference decoder are the library's; detection repeats the
library's per-block vote with numpy (its Python loop costs ~100 ms per image), and a test holds the two equal.
"""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

def _bits_of_bytes(data: bytes) -> tuple[int, ...]:
    return tuple((byte >> (7 - i)) & 1 for byte in data for i in range(8))


#: Known Stable Diffusion watermark messages: name -> bits (MSB first, as ``np.unpackbits`` gives them).
SD_MESSAGES: dict[str, tuple[int, ...]] = {
    "sdxl": tuple(int(b) for b in format(0xB3EC907BB19E, "048b")),
    "sd1": _bits_of_bytes(b"StableDiffusionV1"),
    "sd2": _bits_of_bytes(b"SDV2"),
}
#: The library refuses images under 256x256 pixels (and diffusers skips watermarking them).
MIN_PIXELS = 256 * 256
#: Decoding is O(pixels) in Python loops; bigger images are not SD outputs at native size anyway.
MAX_PIXELS = 4096 * 4096
_MAX_BER = 0.2  # Stability's own watermark tests accept a bit-error rate up to 0.2
_CHANCE = 1e-6  # how unlikely a hit on a random image may be


@dataclass(frozen=True, slots=True)
class WatermarkFinding:
    """A decoded SD watermark: which message, how many bits differ, out of how many."""

    message: str
    bit_errors: int
    bits: int

    @property
    def ber(self) -> float:
        return self.bit_errors / self.bits

    def to_dict(self) -> dict[str, Any]:
        return {"message": self.message, "bit_errors": self.bit_errors, "bits": self.bits, "ber": round(self.ber, 3)}


class WatermarkUnavailable(RuntimeError):
    """invisible-watermark (or OpenCV / PyWavelets) is not installed."""


@lru_cache(maxsize=1)
def _max_dct() -> ModuleType:
    spec = importlib.util.find_spec("imwatermark")
    if spec is None or not spec.submodule_search_locations:
        raise WatermarkUnavailable("invisible-watermark is not installed (pip install 'brightline[watermark]')")
    path = Path(next(iter(spec.submodule_search_locations))) / "maxDct.py"
    module_spec = importlib.util.spec_from_file_location("brightline_imwatermark_maxdct", path)
    if module_spec is None or module_spec.loader is None or not path.is_file():
        raise WatermarkUnavailable(f"invisible-watermark is installed but {path} is missing")
    module = importlib.util.module_from_spec(module_spec)
    try:
        module_spec.loader.exec_module(module)
    except ImportError as exc:  # cv2 or pywt missing
        raise WatermarkUnavailable(f"invisible-watermark needs {exc.name}: pip install 'brightline[watermark]'") from None
    return module


def available() -> bool:
    """True when the dwtDct decoder can run here."""
    try:
        _max_dct()
    except WatermarkUnavailable:
        return False
    return True


@lru_cache(maxsize=None)
def max_bit_errors(bits: int) -> int:
    """Most bit errors still accepted for a message of ``bits`` bits: BER ≤ 0.2 and chance ≤ 1e-6."""
    limit = int(bits * _MAX_BER)
    total = 2**bits
    cumulative = 0
    best = -1
    for k in range(limit + 1):
        cumulative += math.comb(bits, k)
        if cumulative / total > _CHANCE:
            break
        best = k
    return best


def decode_bits(bgr: Any, n_bits: int) -> list[int]:
    """Run the library's dwtDct decoder on a BGR uint8 array and return ``n_bits`` bits."""
    embed = _max_dct().EmbedMaxDct(watermarks=[], wmLen=n_bits)
    return [int(b) for b in embed.decode(bgr)]


def encode_bits(bgr: Any, bits: tuple[int, ...] | list[int]) -> Any:
    """Stamp ``bits`` into a BGR uint8 array with the library's dwtDct encoder (as Stable Diffusion does)."""
    embed = _max_dct().EmbedMaxDct(watermarks=list(bits), wmLen=len(bits))
    return embed.encode(bgr)


def block_scores(bgr: Any) -> Any:
    """Per-block bit votes of the dwtDct decoder, in the library's block order, computed once and vectorised.

    ``EmbedMaxDct.decode`` walks 4x4 blocks of the Haar approximation band of the U channel in Python and
    votes with ``infer_dct_matrix`` (largest non-DC coefficient modulo the scale); block *n* votes for bit
    ``n % length``. Doing the same vote with numpy over all blocks at once is ~50x faster, and collecting the
    votes once serves every message length. ``test_watermark`` checks the bits equal the library decoder's.
    """
    import cv2
    import numpy as np
    import pywt

    embed = _max_dct().EmbedMaxDct(watermarks=[], wmLen=8)
    rows, cols = bgr.shape[:2]
    yuv = cv2.cvtColor(bgr, cv2.COLOR_BGR2YUV)
    size = embed._block
    votes = []
    for channel in range(2):  # the library decodes channels 0 and 1 only; scale 0 skips Y
        scale = embed._scales[channel]
        if scale <= 0:
            continue
        # A contiguous copy of the plane: same coefficients, and pywt is ~2x faster on it than on a strided view.
        ca1, _ = pywt.dwt2(np.ascontiguousarray(yuv[: rows // 4 * 4, : cols // 4 * 4, channel]), "haar")
        br, bc = ca1.shape[0] // size, ca1.shape[1] // size
        blocks = ca1[: br * size, : bc * size].reshape(br, size, bc, size).transpose(0, 2, 1, 3).reshape(br * bc, size * size)
        pos = np.argmax(np.abs(blocks[:, 1:]), axis=1) + 1
        val = np.abs(blocks[np.arange(len(blocks)), pos])
        votes.append(((val % scale) > 0.5 * scale).astype(np.int8))
    return np.concatenate(votes) if votes else np.zeros(0, np.int8)


def bits_from_votes(votes: Any, n_bits: int) -> list[int]:
    """The decoder's majority rule: bit k is set when the mean of votes k, k+n, k+2n... exceeds one half."""
    import numpy as np

    v = np.asarray(votes, dtype=np.float64)
    index = np.arange(len(v)) % n_bits
    sums = np.bincount(index, weights=v, minlength=n_bits)
    counts = np.bincount(index, minlength=n_bits)
    return [int(m * 255 > 127) for m in sums / np.maximum(counts, 1)]


def match_messages(bgr: Any) -> WatermarkFinding | None:
    """Decode each known SD message length and return the best match within its error budget, if any."""
    votes = block_scores(bgr)
    best: WatermarkFinding | None = None
    for name, expected in SD_MESSAGES.items():
        n = len(expected)
        got = bits_from_votes(votes, n)
        errors = sum(a != b for a, b in zip(got, expected))
        if errors <= max_bit_errors(n) and (best is None or errors / n < best.ber):
            best = WatermarkFinding(name, errors, n)
    return best


def detect_sd_watermark(path: str | Path) -> WatermarkFinding | None:
    """Open an image file and look for a Stable Diffusion watermark.

    Returns None when there is none or the image is too small/large to decode. Raises
    :class:`WatermarkUnavailable` when the extra is not installed and ``OSError``/``ValueError`` (Pillow's
    errors, including its decompression-bomb guard) when the file is not a readable image.
    """
    import numpy as np
    from PIL import Image

    _max_dct()
    with Image.open(path) as im:
        width, height = im.size
        if width * height < MIN_PIXELS or width * height > MAX_PIXELS:
            return None
        rgb = np.asarray(im.convert("RGB"))
    bgr = np.ascontiguousarray(rgb[:, :, ::-1])
    return match_messages(bgr)


# --- record source for brightline.media.inspect_file ------------------------------------------------------------

WATERMARK_FORMATS = frozenset({"jpeg", "png", "webp", "tiff", "bmp"})


def watermark_records(path: Path, fmt: str) -> list[Any]:
    """Record source: one ``watermark`` record when a Stable Diffusion watermark decodes from the image."""
    from brightline.media import ProvenanceRecord

    found = detect_sd_watermark(path)
    if found is None:
        return []
    detail = f"Stable Diffusion invisible watermark ({found.message}, {found.bit_errors}/{found.bits} bit errors)"
    return [ProvenanceRecord("watermark", f"{fmt}:pixels:dwtDct", found.to_dict(), True, detail)]


def _register() -> None:
    # Only when the optional extra is installed; otherwise inspect_file simply has no watermark source.
    if available():
        from brightline.media import register_source

        register_source("watermark", watermark_records, formats=WATERMARK_FORMATS)


_register()
