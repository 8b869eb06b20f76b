"""Red-team seeds: the known violations the harness disguises.

A seeds file is JSON Lines or CSV (chosen by the ``.csv`` suffix), one seed per line:

- JSONL: ``{"kind": "term", "value": "网赌"}`` or ``{"kind": "contact", "channel": "wechat", "value": "abc12345"}``
- CSV with the header ``kind,value,channel`` (``channel`` empty for terms)

``kind`` is ``term`` (an operator lexicon term; the ``lexicon`` detector should find it) or ``contact``.
Contact ``channel`` is one of ``wechat qq phone telegram whatsapp line email`` (``diversion.contact``
should recover ``value``) or ``url`` for a link (``diversion.link`` should recover the host and path).
Phone values are written as digits, with a leading ``+`` for an international number.
Lines starting with ``#`` and blank lines are skipped.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from brightline.errors import BrightlineError

CONTACT_CHANNELS = frozenset({"wechat", "qq", "phone", "telegram", "whatsapp", "line", "email", "url"})


@dataclass(frozen=True, slots=True)
class Seed:
    """A known violation: a lexicon term, or a contact with its channel."""

    kind: str
    value: str
    channel: str | None = None

    @property
    def detector(self) -> str:
        """The detector that should find every disguise of this seed."""
        if self.kind == "term":
            return "lexicon"
        return "diversion.link" if self.channel == "url" else "diversion.contact"

    @property
    def expected_value(self) -> str:
        """What the detector's evidence should recover (``term`` for the lexicon, ``value`` otherwise)."""
        if self.kind == "term":
            return self.value
        if self.channel == "phone" and self.value.startswith("+86"):
            return self.value[3:]
        if self.channel == "url":  # links are reported as host/path: the scheme is not part of the value
            host, slash, path = self.value.split("://", 1)[-1].partition("/")
            return host.lower() + slash + path if path else host.lower()
        return self.value.lower() if self.channel in ("email", "wechat", "telegram", "line") else self.value


#: Contacts used when no seeds file is given: one or two per channel, shaped like real ones.
DEFAULT_CONTACTS: tuple[Seed, ...] = (
    Seed("contact", "abc12345", "wechat"),
    Seed("contact", "meimei_888", "wechat"),
    Seed("contact", "13800138000", "wechat"),
    Seed("contact", "28739347", "qq"),
    Seed("contact", "1052418876", "qq"),
    Seed("contact", "13912345678", "phone"),
    Seed("contact", "15800001111", "phone"),
    Seed("contact", "fuli_vip88", "telegram"),
    Seed("contact", "+447700900123", "whatsapp"),
    Seed("contact", "sunny.tw88", "line"),
    Seed("contact", "john.doe88@gmail.com", "email"),
    Seed("contact", "28739347@qq.com", "email"),
    Seed("contact", "bocai888.com", "url"),
    Seed("contact", "t.me/fuli_vip", "url"),
)


def _seed(kind: object, value: object, channel: object, where: str) -> Seed:
    kind = str(kind or "").strip().lower()
    value = str(value or "").strip()
    channel = str(channel or "").strip().lower() or None
    if kind not in ("term", "contact"):
        raise BrightlineError(f"{where}: kind must be 'term' or 'contact', got {kind!r}")
    if not value:
        raise BrightlineError(f"{where}: empty value")
    if kind == "contact" and channel not in CONTACT_CHANNELS:
        raise BrightlineError(f"{where}: contact channel must be one of {', '.join(sorted(CONTACT_CHANNELS))}, "
                              f"got {channel!r}")
    return Seed(kind, value, channel if kind == "contact" else None)


def load_seeds(path: str | Path) -> list[Seed]:
    """Read a seeds file (JSONL, or CSV when the name ends in ``.csv``). Errors name the line."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BrightlineError(f"{p}: cannot read seeds: {exc}") from None
    seeds: list[Seed] = []
    if p.suffix.lower() == ".csv":
        rows = [r for r in io.StringIO(text) if r.strip() and not r.lstrip().startswith("#")]
        reader = csv.DictReader(rows)
        if not reader.fieldnames or not {"kind", "value"} <= set(reader.fieldnames):
            raise BrightlineError(f"{p}: CSV needs the header kind,value,channel")
        for n, row in enumerate(reader, start=2):
            seeds.append(_seed(row.get("kind"), row.get("value"), row.get("channel"), f"{p}:{n}"))
    else:
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BrightlineError(f"{p}:{n}: not JSON: {exc.msg}") from None
            if not isinstance(obj, dict):
                raise BrightlineError(f"{p}:{n}: expected an object with kind and value")
            seeds.append(_seed(obj.get("kind"), obj.get("value"), obj.get("channel"), f"{p}:{n}"))
    if not seeds:
        raise BrightlineError(f"{p}: no seeds")
    return seeds
