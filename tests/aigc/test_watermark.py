"""Stable Diffusion invisible watermark: stamped with the library's dwtDct encoder, decoded by brightline."""

from __future__ import annotations

import os

import numpy as np
import pytest
from PIL import Image, ImageFilter

from brightline.media import watermark
IN_CI = os.environ.get("CI", "").lower() == "true"

if not watermark.available():
    if IN_CI:
        raise RuntimeError("invisible-watermark extra is not installed; `make` installs it")
    pytest.skip("invisible-watermark extra not installed", allow_module_level=True)


def _photo(w: int = 512, h: int = 384, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    noise = (rng.random((h, w, 3)) * 255).astype(np.uint8)
    return np.asarray(Image.fromarray(noise).filter(ImageFilter.GaussianBlur(2)))


@pytest.mark.parametrize("message", sorted(watermark.SD_MESSAGES))
def test_each_sd_message_is_recovered_from_a_png(tmp_path, message: str) -> None:
    bgr = np.ascontiguousarray(_photo()[:, :, ::-1])
    stamped = watermark.encode_bits(bgr, watermark.SD_MESSAGES[message])
    path = tmp_path / "sd.png"
    Image.fromarray(np.ascontiguousarray(stamped[:, :, ::-1])).save(path)
    found = watermark.detect_sd_watermark(path)
    assert found is not None and found.message == message
    assert found.ber <= 0.2


def test_unmarked_images_give_no_hit(tmp_path) -> None:
    for seed in range(4):
        path = tmp_path / f"plain{seed}.png"
        Image.fromarray(_photo(seed=seed)).save(path)
        assert watermark.detect_sd_watermark(path) is None
    flat = tmp_path / "flat.png"
    Image.new("RGB", (400, 400), (120, 120, 120)).save(flat)
    assert watermark.detect_sd_watermark(flat) is None


def test_small_images_are_skipped_and_garbage_raises_a_clear_error(tmp_path) -> None:
    small = tmp_path / "small.png"
    Image.new("RGB", (100, 100)).save(small)
    assert watermark.detect_sd_watermark(small) is None
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    with pytest.raises(OSError):
        watermark.detect_sd_watermark(bad)


def test_error_budget_keeps_chance_hits_rare() -> None:
    assert watermark.max_bit_errors(32) == 2
    assert watermark.max_bit_errors(48) == 7
    assert watermark.max_bit_errors(136) == 27


def test_one_pass_decoding_agrees_with_the_library_decoder_for_every_length() -> None:
    bgr = np.ascontiguousarray(_photo(384, 320, seed=5)[:, :, ::-1])
    stamped = watermark.encode_bits(bgr, watermark.SD_MESSAGES["sd1"])
    for image in (stamped, bgr, np.ascontiguousarray(_photo(301, 257, seed=9)[:, :, ::-1])):
        votes = watermark.block_scores(image)
        for bits in watermark.SD_MESSAGES.values():
            assert watermark.bits_from_votes(votes, len(bits)) == watermark.decode_bits(image, len(bits))
