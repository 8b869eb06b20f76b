"""Recycled media (SPEC capability E; seed 002 §2.2 "picking up old news ... covering up time", seed 004 (1)1
"gathering old news to reheat it"): ``media.recycled``.

Every image attached to a post is perceptually hashed (:mod:`brightline.media.phash`) and looked up in an
index of images with the time each was first seen. The index fills as posts are screened (a post's
``created_at``, else the screening time) and can be loaded from and appended to a JSONL file. A post is
flagged when an image was first seen at least ``min_age_days`` before the post AND the post presents it as
new (刚刚, 今天, 现场, 突发, just now, today, breaking…): an old picture shared as an old picture is fine.

Evidence: ``path`` (as given in the post), ``first_seen`` and ``first_source`` (the earliest sighting),
``posted`` (this post's time), ``age_days``, ``distance`` (Hamming bits of 64), ``hash``, and the
``cue``/``span``/``excerpt`` (``field`` when not ``text``) that presents it as new.

Options (``detector_options.media_recycled``): ``index`` (JSONL file to load and append to), ``min_age_days``
(default 30), ``max_distance`` (default 10 bits), ``learn`` (default true: remember images of screened posts).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from brightline.detectors.base import Detector, ScreenContext
from brightline.detectors.source import CueList
from brightline.media.phash import IMAGE_SUFFIXES, ImageHashError, PerceptualIndex, image_phash
from brightline.model import Post, Signal

#: Words that present a picture as new. Matched like every cue list: normalized Chinese, whole-word English.
NEW_CUES: tuple[str, ...] = (
    "刚刚", "刚才", "今天", "今日", "今早", "今晨", "今晚", "今夜", "此刻", "现在", "现场", "突发", "最新", "实拍",
    "正在", "目前", "就在", "第一时间", "直击", "刚发生", "眼下",
    "just now", "today", "tonight", "this morning", "breaking", "happening now", "right now", "live", "moments ago",
    "minutes ago", "just happened", "currently", "latest", "new footage",
)


class RecycledMediaDetector(Detector):
    """Flags images first seen long ago, re-posted as if new."""

    family = "media_recycled"
    emits = ("media.recycled",)
    kinds = frozenset({"post"})

    def __init__(self, registries: Any, options: dict[str, Any] | None = None) -> None:
        super().__init__(registries, options)
        self.min_age_days = float(self.options.get("min_age_days", 30))
        self.max_distance = int(self.options.get("max_distance", 10))
        self.learn = bool(self.options.get("learn", True))
        self.index = PerceptualIndex(self.options.get("index"))
        self.cues = CueList((c, None) for c in NEW_CUES)

    def detect(self, item: Post, ctx: ScreenContext) -> Iterable[Signal]:  # type: ignore[override]
        if not item.media:
            return []
        posted: datetime = item.created_at or ctx.now
        if posted.tzinfo is None:
            posted = posted.replace(tzinfo=ctx.now.tzinfo)
        cue = None
        for field, text in (("title", item.title or ""), ("text", item.text)):
            hits = self.cues.find(text) if text else []
            if hits:
                cue = (field, hits[0])
                break
        signals: list[Signal] = []
        for n, media in enumerate(item.media):
            path = media.resolved(ctx.base_path)
            if Path(media.path).suffix.lower() not in IMAGE_SUFFIXES and not (media.type or "").startswith("image"):
                continue
            try:
                h = image_phash(path)
            except ImageHashError:
                continue  # unreadable media is the media readers' finding to report, not this detector's
            seen = self.index.nearest(h, self.max_distance)
            if seen is not None and cue is not None:
                age = (posted - seen.first_seen).total_seconds() / 86400
                if age >= self.min_age_days:
                    field, hit = cue
                    ev: dict[str, Any] = {
                        "path": media.path, "media_index": n, "first_seen": seen.first_seen.isoformat(),
                        "first_source": seen.source, "posted": posted.isoformat(), "age_days": int(age),
                        "distance": seen.distance, "hash": f"{h:016x}", "cue": hit.phrase,
                        "span": [hit.start, hit.end], "excerpt": hit.excerpt,
                    }
                    if field != "text":
                        ev["field"] = field
                    # Closer copies and older originals are surer: 0.75 at the threshold, up to 0.99.
                    score = 0.75 + 0.12 * (1 - seen.distance / max(1, self.max_distance)) + min(0.12, age / 3650)
                    signals.append(Signal("media.recycled", round(min(0.99, score), 3), ev))
            if self.learn:
                self.index.add(h, posted, f"post:{item.id}")
        return signals
