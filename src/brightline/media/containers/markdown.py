"""Markdown: YAML front matter at the head of the file with an ``AIGC`` mapping (text guide §6.5).

Only the front matter is read (capped); YAML aliases are refused so an alias bomb cannot expand, and
numbers are kept as the strings the author typed (``Label: 1`` in YAML is the label "1", not a type error).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from brightline.media.containers import ByteSource, ContainerReader, MediaFormatError, ReadContext, register

_MAX_FRONT_MATTER = 1024 * 1024


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (``*name``) and reads every scalar as a string."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "YAML aliases are not allowed in front matter",
                                              self.peek_event().start_mark)
        return super().compose_node(parent, index)


# Every plain scalar stays a string: front-matter values are labels and codes, not numbers or dates.
_NoAliasLoader.yaml_implicit_resolvers = {}


@register
class MarkdownReader(ContainerReader):
    """Markdown files with YAML front matter (sniffed by suffix, or a leading ``---`` line)."""

    format = "markdown"
    extensions = (".md", ".markdown", ".mdx")
    priority = 10

    def sniff(self, head: bytes, path: Path) -> bool:
        return path.suffix.lower() in self.extensions or head.lstrip(b"\xef\xbb\xbf").startswith((b"---\n", b"---\r\n"))

    def read(self, src: ByteSource, ctx: ReadContext) -> None:
        head = src.read_upto(_MAX_FRONT_MATTER + 8)
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
        if not text.startswith(("---\n", "---\r\n")):
            return  # no front matter
        lines = text.splitlines(keepends=True)
        body: list[str] = []
        for line in lines[1:]:
            if line.rstrip("\r\n") in ("---", "..."):
                break
            body.append(line)
        else:
            raise MediaFormatError(f"front matter not closed within the first {_MAX_FRONT_MATTER} bytes")
        try:
            data = yaml.load("".join(body), Loader=_NoAliasLoader)  # noqa: S506 — a SafeLoader subclass
        except yaml.YAMLError as exc:
            raise MediaFormatError(f"front matter is not valid YAML: {str(exc).splitlines()[0]}") from exc
        if not isinstance(data, dict):
            return
        for key, value in data.items():
            if not isinstance(key, str):
                continue
            if isinstance(value, (dict, list)):
                ctx.emit("markdown:front-matter", "text", key, json.dumps(value, ensure_ascii=False))
            elif value is not None:
                ctx.emit("markdown:front-matter", "text", key, str(value))
