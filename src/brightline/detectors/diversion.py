"""Traffic diversion (capability F): off-platform contacts and links hidden from filters.

Emits ``diversion.contact`` (WeChat, QQ, phone, Telegram, WhatsApp, LINE, e-mail, ... with ``value`` = the
recovered handle or number) and ``diversion.link`` (URLs, bare or spelled-out domains, short links, QR-code
cues, with ``value`` = the recovered host and path). Posts are read in ``text`` and ``title``; accounts in
``display_name``, ``handle`` and ``bio`` (named in ``evidence.field``), because a contact in a profile
diverts every visitor of it.

Evidence: ``span`` ([start, end) in the ORIGINAL field, cue and value together), ``excerpt``, ``normalized``
(the folded form the recognizer read), ``value``, ``channel``, ``evasion`` (techniques seen, e.g.
``homophone``, ``chinese_numerals``, ``zero_width``) and ``evaded`` (true when that list is not empty, so
rules can tell a plain phone number from a hidden one).

Options (``detector_options: {diversion: {...}}`` in pack.yaml):
- ``allow_domains``: the operator's own domains; they and their subdomains are never reported as links.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from brightline.detectors.base import Detector, ScreenContext
from brightline.errors import BrightlineError
from brightline.model import Account, Post, Report, Signal
from brightline.text.contacts import ContactFinding, ContactRecognizer

if TYPE_CHECKING:
    from brightline.registries import Registries

#: Texts longer than this are read in overlapping windows, so memory stays bounded on a 10 MB post.
WINDOW_CHARS = 65536
#: Overlap between windows: longer than any contact or link written out with evasions.
WINDOW_OVERLAP = 512
#: Candidate anchors judged per text across all its windows (a normal post has a handful).
TEXT_ANCHOR_BUDGET = 20_000


class DiversionDetector(Detector):
    """Contacts and links in posts and account profiles."""

    family = "diversion"
    emits = ("diversion.contact", "diversion.link")
    kinds = frozenset({"post", "account"})

    def __init__(self, registries: Registries, options: dict[str, Any] | None = None) -> None:
        super().__init__(registries, options)
        allow = self.options.get("allow_domains") or []
        if isinstance(allow, str) or not all(isinstance(d, str) for d in allow):
            raise BrightlineError("detector_options.diversion.allow_domains must be a list of domain names")
        self.recognizer = ContactRecognizer(allow_domains=allow)

    def detect(self, item: Post | Account | Report, ctx: ScreenContext) -> Iterator[Signal]:
        """Signals for every contact and link in the item's text fields."""
        if isinstance(item, Post):
            fields = (("text", item.text), ("title", item.title))
        elif isinstance(item, Account):
            fields = (("display_name", item.display_name), ("handle", item.handle), ("bio", item.bio))
        else:
            return
        for name, value in fields:
            if value:
                for finding in self._find(value):
                    yield _signal(finding, name, value)

    def _find(self, text: str) -> list[ContactFinding]:
        if len(text) <= WINDOW_CHARS:
            return self.recognizer.find(text)
        found: list[ContactFinding] = []
        seen: set[tuple[str, str]] = set()
        step = WINDOW_CHARS - WINDOW_OVERLAP
        # One anchor budget for the whole text: a 10 MB wall of cue words costs what one window may.
        budget = TEXT_ANCHOR_BUDGET
        for offset in range(0, len(text), step):
            got, budget = self.recognizer.scan(text[offset:offset + WINDOW_CHARS], budget)
            for f in got:
                key = (f.detector, f.value)
                if key not in seen:
                    seen.add(key)
                    found.append(_shift(f, offset))
            if len(found) >= self.recognizer.max_findings or budget <= 0:
                break
        return found[: self.recognizer.max_findings]


def _shift(f: ContactFinding, offset: int) -> ContactFinding:
    if not offset:
        return f
    return ContactFinding(f.detector, f.channel, f.value, f.start + offset, f.end + offset, f.score, f.evasion,
                          f.cue, f.normalized)


def _signal(f: ContactFinding, field: str, original: str) -> Signal:
    evidence: dict[str, Any] = {
        "span": [f.start, f.end],
        "excerpt": original[f.start:f.end],
        "normalized": f.normalized,
        "value": f.value,
        "channel": f.channel,
        "evasion": list(f.evasion),
        "evaded": f.evaded,
    }
    if f.cue:
        evidence["cue"] = f.cue
    if field != "text":
        evidence["field"] = field
    return Signal(f.detector, f.score, evidence)
