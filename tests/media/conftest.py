"""pytest fixtures for the media tests: system tools (exiftool, ffmpeg) and the exiftool TC260 config."""

from __future__ import annotations

from pathlib import Path

import pytest

from .fixtures import TC260_NS, require_tool


@pytest.fixture(scope="session")
def exiftool() -> str:
    return require_tool("exiftool")


@pytest.fixture(scope="session")
def ffmpeg() -> str:
    return require_tool("ffmpeg")


@pytest.fixture(scope="session")
def exiftool_tc260_config(tmp_path_factory: pytest.TempPathFactory, exiftool: str) -> Path:
    """exiftool config: the TC260 XMP namespace, PDF Info /AIGC and the IPTC 2025.1 AI fields (unknown to it)."""
    cfg = tmp_path_factory.mktemp("exiftool") / "tc260.config"
    cfg.write_text(
        "%Image::ExifTool::UserDefined = (\n"
        "  'Image::ExifTool::XMP::Main' => { TC260 => { SubDirectory => "
        "{ TagTable => 'Image::ExifTool::UserDefined::TC260' } } },\n"
        "  'Image::ExifTool::PDF::Info' => { AIGC => { } },\n"
        # IPTC 2025.1 AI fields: newer than Debian's exiftool, so declared here.
        "  'Image::ExifTool::XMP::iptcExt' => { AISystemUsed => { }, AISystemVersionUsed => { },"
        " AIPromptInformation => { }, AIPromptWriterName => { } },\n"
        ");\n"
        "%Image::ExifTool::UserDefined::TC260 = (\n"
        f"  GROUPS => {{ 0 => 'XMP', 1 => 'XMP-TC260', 2 => 'Image' }}, NAMESPACE => {{ 'TC260' => '{TC260_NS}' }},\n"
        "  WRITABLE => 'string', AIGC => { },\n"
        ");\n"
        "1;\n",
        encoding="utf-8",
    )
    return cfg
