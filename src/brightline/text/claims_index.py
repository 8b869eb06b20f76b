"""Claim matching: find which known claims a post repeats — reworded, shortened, padded, traditional vs
simplified, with inserted symbols.

Why by hand: near-duplicate libraries (datasketch MinHash LSH, TF-IDF cosine) score whole documents
symmetrically, so a claim padded into a long post, or cut down to half, scores low; here the score is
computed on the best-matching *passage* of the post, and the passage is reported as a span.

How it works:

1. **Gate** (every post, microseconds): an Aho-Corasick automaton over each claim's anchors (CJK character
   pairs without function characters, Latin word stems) runs on the memoised ``normalize(text)`` the other
   detectors share; only a post holding at least two, and ``GATE_SHARE``, of one claim's anchors goes on.
2. Text goes through :func:`brightline.text.normalize` (NFKC, case, traditional→simplified, confusables,
   symbols removed) with word breaks kept, then becomes tokens: each CJK character is a token, each run of
   other letters/digits a (lightly stemmed) word token.
3. Features are token unigrams (half weight), bigrams and skip-bigrams (half weight: one word inserted or
   dropped), weighted by IDF over the claims. English stop words are not features; features in more than
   ``max_df`` of the claims are ignored (they tell no claim apart).
4. **Candidates** come from an inverted index (feature → claims, CSR numpy arrays): claims with at least
   ``min_coverage`` of their weight in the post, ranked by a Dice estimate.
5. **Verification** slides a window over the post's tokens (at most ``1.5 ×`` the claim's length): in the
   best window, *coverage* is the share of the claim's weight found there and *precision* the share of the
   window's weight that belongs to the claim, the window first widened to where the claim's unmatched
   words would sit (a sibling claim that differs in one word is penalised there; a copy cut short where
   the post ends is not). Similarity is their harmonic mean (F1).
6. **Refutation**: when the passage or its neighbourhood says 谣言/辟谣/不实/not true/false/myth… (and the
   claim itself does not), the match is marked ``refuted`` — a post debunking a claim quotes it.

Measured in ``bench/integrity_claims.py`` against a TF-IDF cosine scan; quality in ``bench/eval_integrity.py``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import ahocorasick_rs
import numpy as np

from brightline.text import normalize, normalize_with_offsets

#: Word breaks survive normalization as "_" (a character ``normalize`` can keep), one for one, so offsets hold.
_BREAKS = str.maketrans({c: "_" for c in " \t\n\r\f\v\u00a0\u3000-/"})
_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]|[^\W_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+")
_CJK_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]")
#: Chinese function characters: a pair containing one (的基, 了会) is everyday text, not a claim's content.
_FUNCTION_CHARS = frozenset("的了是在和也就都而及与着或一不我你他她它们这那有个之请吧吗呢啊哦呀么把被让给对从到为很还又再才")
_STOP = frozenset(
    "a an the of to in on at by for from with and or but is are was were be been being it its this that these "
    "those as do does did you your we our they their he she his her i me my will would can could should has have "
    "had not no so if than then there here into about up out over just also very".split()
)
#: Words too common to gate on (an anchor must say something about a claim); they still count as features.
_ANCHOR_STOP = _STOP | frozenset(
    "after before every other more most some such only them what when where which while who whom why how all any "
    "both each few many much own same through during under again further once because until against between off "
    "above below down now new one two three first last get got make made like time year years day days week people "
    "way world good well back even still since without within today said says say high water minute minutes".split()
)
# Debunk vocabulary only: plain negations (不会, "won't") are far too common in claims and lead-ins.
_REFUTE_ZH = ("谣言", "辟谣", "不实", "假的", "假消息", "是假", "不可信", "别信", "不要信", "没有科学依据", "没有依据",
              "误区", "纯属虚构", "误传", "伪科学", "不靠谱", "澄清", "不是真的", "并非如此", "假新闻")
_REFUTE_EN = ("false", "fake", "myth", "myths", "debunked", "debunk", "hoax", "not true", "no evidence", "untrue",
              "misleading", "fact check", "rumor", "rumour", "baseless")
_REFUTE_RE = re.compile(
    "|".join([re.escape(normalize(c)) for c in _REFUTE_ZH]
             + [r"(?<![a-z0-9])" + "_+".join(re.escape(w) for w in c.split()) + r"(?![a-z0-9])" for c in _REFUTE_EN])
)


@dataclass(frozen=True, slots=True)
class ClaimMatch:
    """One claim found in a text. ``span`` is ``[start, end)`` in the ORIGINAL text."""

    claim: int
    similarity: float
    coverage: float
    precision: float
    span: tuple[int, int]
    refuted: bool = False


@dataclass(frozen=True, slots=True)
class _Tokens:
    norm: str
    tokens: list[str]
    spans: list[tuple[int, int]]  # [start, end) of each token in ``norm``


@dataclass(frozen=True, slots=True)
class _Post:
    """A tokenized post with what verification needs, computed once per search."""

    feats: list[tuple[str, int, int]]
    ids: list[int]
    prefix: list[float]
    reach_back: dict[int, list[tuple[int, float]]]
    tokens: _Tokens
    where: dict[int, list[tuple[int, int, int]]]  # feature id -> (last token, id, first token) of each occurrence


def _stem(word: str) -> str:
    """A light English suffix stripper (spreading → spread, networks → network); a full stemmer buys little
    for claim matching and would be one more dependency on the hot path."""
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def tokenize(text: str) -> _Tokens:
    """Normalized tokens of ``text`` and where each sits in the normalized string."""
    norm = normalize(text.translate(_BREAKS), keep="_", collapse=False)
    tokens, spans = [], []
    for m in _TOKEN.finditer(norm):
        tok = m.group(0)
        tokens.append(_stem(tok) if len(tok) > 3 else tok)
        spans.append((m.start(), m.end()))
    return _Tokens(norm, tokens, spans)


def _anchors(tokens: Sequence[str]) -> set[str]:
    """Substrings of ``normalize(text)`` that a repeat of the claim is likely to keep: pairs of adjacent CJK
    characters and Latin word stems of 4+ letters (a stem is a prefix of its inflected forms)."""
    out: set[str] = set()
    prev_cjk = ""
    for tok in tokens:
        if _CJK_TOKEN.match(tok):
            if prev_cjk and prev_cjk not in _FUNCTION_CHARS and tok not in _FUNCTION_CHARS:
                a = normalize(prev_cjk + tok)
                if len(a) == 2:
                    out.add(a)
            prev_cjk = tok
        else:
            prev_cjk = ""
            if len(tok) >= 4 and tok not in _ANCHOR_STOP:
                a = normalize(tok)
                if len(a) >= 4:
                    out.add(a)
    return out


def _features(tokens: Sequence[str]) -> list[tuple[str, int, int]]:
    """(feature, first token, last token) triples: unigrams ``u:x``, bigrams ``b:x y`` and skip-bigrams
    ``b:x _ z`` (one token may be inserted or dropped); stop words are skipped and do not break a bigram."""
    out: list[tuple[str, int, int]] = []
    prev = prev2 = ""
    p1 = p2 = -1
    for i, tok in enumerate(tokens):
        if tok in _STOP:
            continue
        out.append(("u:" + tok, i, i))
        if p1 >= 0:
            out.append(("b:" + prev + " " + tok, p1, i))
            if p2 >= 0:
                out.append(("b:" + prev2 + " _ " + tok, p2, i))
        prev2, p2, prev, p1 = prev, p1, tok, i
    return out


class ClaimIndex:
    """An inverted index over claim texts with passage-level verification. Build once, search many.

    >>> index = ClaimIndex(["喝高度白酒可以预防新冠病毒感染"])
    >>> index.search("网传：多喝白酒能预防新冠病毒！")[0].claim
    0
    """

    #: Share of a claim's anchors a post must hold to be scored against it (at least 2).
    GATE_SHARE = 0.35
    #: Above this many postings the gate counts with numpy instead of a Python loop.
    _GATE_NUMPY = 2048
    #: Weights relative to a bigram: characters carry rewordings, bigrams carry precision; a skip-bigram
    #: half, so a dropped or inserted word costs about as much as one changed bigram.
    UNIGRAM_WEIGHT = 0.5
    SKIP_WEIGHT = 0.5

    @classmethod
    def _kind_weight(cls, feature: str) -> float:
        if feature[0] == "u":
            return cls.UNIGRAM_WEIGHT
        return cls.SKIP_WEIGHT if " _ " in feature else 1.0

    def __init__(
        self,
        texts: Iterable[str],
        *,
        min_similarity: float = 0.5,
        min_coverage: float = 0.3,
        max_df: float = 0.05,
        candidates: int = 16,
    ) -> None:
        self.min_similarity = min_similarity
        self.min_coverage = min_coverage
        self.candidates = candidates
        vocab: dict[str, int] = {}
        claim_feats: list[np.ndarray] = []
        self.claim_lengths: list[int] = []
        self._claim_cues: list[frozenset[str]] = []
        anchor_ids: dict[str, int] = {}
        claim_anchors: list[list[int]] = []
        self._texts: list[str] = []
        for text in texts:
            self._texts.append(text)
            tk = tokenize(text)
            claim_anchors.append(sorted({anchor_ids.setdefault(a, len(anchor_ids)) for a in _anchors(tk.tokens)}))
            ids = sorted({vocab.setdefault(f, len(vocab)) for f, _, _ in _features(tk.tokens)})
            claim_feats.append(np.asarray(ids, dtype=np.int32))
            self.claim_lengths.append(len(tk.tokens))
            self._claim_cues.append(frozenset(m.group(0) for m in _REFUTE_RE.finditer(tk.norm)))
        self.vocab = vocab
        n = len(claim_feats)
        self.size = n
        lengths = np.fromiter((len(a) for a in claim_feats), dtype=np.int64, count=n)
        all_feats = np.concatenate(claim_feats) if n else np.zeros(0, dtype=np.int32)
        owners = np.repeat(np.arange(n, dtype=np.int32), lengths)
        df = np.bincount(all_feats, minlength=len(vocab)).astype(np.float64)
        self.idf = np.log((n + 1) / (df + 1)) + 1.0
        self.unseen_weight = float(math.log(n + 1) + 1.0)
        self.weight = self.idf * np.fromiter((self._kind_weight(f) for f in vocab), dtype=np.float64, count=len(vocab))
        # Postings: claims of each feature, one sorted slice of a flat array (CSR layout).
        order = np.argsort(all_feats, kind="stable")
        self._post_claims = owners[order]
        self._post_start = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(df.astype(np.int64), out=self._post_start[1:])
        self._df = df
        self._max_df = max(50.0, max_df * n)
        self._positions_cache: dict[int, dict[int, tuple[int, int]]] = {}
        self._build_gate(anchor_ids, claim_anchors, max_df)
        self._claim_weight = np.array([self.weight[a].sum() for a in claim_feats]) if n else np.zeros(0)
        # Candidates are ranked by the share of a claim's *indexed* (not too common) weight a post holds.
        rare = df <= self._max_df
        self._rare = rare.tolist()
        self._claim_rare_weight = (
            np.array([max(1e-9, float(self.weight[a[rare[a]]].sum())) for a in claim_feats]) if n else np.zeros(0)
        )

    def __len__(self) -> int:
        return self.size

    def _build_gate(self, anchor_ids: dict[str, int], claim_anchors: list[list[int]], max_df: float) -> None:
        """The cheap first test every post takes: an Aho-Corasick automaton over each claim's anchors (its
        CJK character pairs and Latin word stems, normalized like the shared ``normalize(text)``), run on
        that memoised text. Only a post holding two anchors of one claim goes on to tokenizing and scoring."""
        n = len(claim_anchors)
        lengths = np.fromiter((len(a) for a in claim_anchors), dtype=np.int64, count=n)
        flat = np.fromiter((i for a in claim_anchors for i in a), dtype=np.int64, count=int(lengths.sum()))
        owners = np.repeat(np.arange(n, dtype=np.int32), lengths)
        df = np.bincount(flat, minlength=len(anchor_ids))
        # Anchors in too many claims say nothing about which claim a post repeats; drop them from the gate.
        keep = df <= max(50.0, max_df * n)
        strings = list(anchor_ids)
        kept = [i for i in range(len(strings)) if keep[i]]
        remap = np.full(len(strings), -1, dtype=np.int64)
        remap[kept] = np.arange(len(kept))
        order = np.argsort(remap[flat], kind="stable")
        valid = remap[flat][order] >= 0
        self._gate_claims = owners[order][valid]
        counts = np.bincount(remap[flat][remap[flat] >= 0], minlength=len(kept))
        self._gate_start = np.zeros(len(kept) + 1, dtype=np.int64)
        np.cumsum(counts, out=self._gate_start[1:])
        # A post must hold 2 anchors of one claim, and GATE_SHARE of them for long claims.
        per = np.bincount(owners[remap[flat] >= 0], minlength=n)
        self._gate_need = np.minimum(per, np.maximum(2, np.ceil(per * self.GATE_SHARE))).astype(np.int64)
        self._gate_strings = [strings[i] for i in kept]
        self._gate_need_list = self._gate_need.tolist()
        # No claim passes with fewer distinct anchors than the smallest need: most posts stop on this test.
        self._gate_min_need = min(self._gate_need_list, default=1)
        self._gate_lists = [self._gate_claims[self._gate_start[i]:self._gate_start[i + 1]].tolist() for i in range(len(kept))]
        self._gate = (
            ahocorasick_rs.AhoCorasick(self._gate_strings, matchkind=ahocorasick_rs.MatchKind.Standard)
            if kept else None
        )

    def may_match(self, text: str) -> bool:
        """False when no claim can match ``text``: no claim has enough of its anchors in it."""
        if self._gate is None:
            return False
        found = self._gate.find_matches_as_indexes(normalize(text), overlapping=True)
        if not found:
            return False
        hits = {i for i, _, _ in found}
        if len(hits) < self._gate_min_need:
            return False
        starts = self._gate_start
        need, lists = self._gate_need_list, self._gate_lists
        # Posting-list lengths from the Python lists: numpy scalar arithmetic here cost more than the scan.
        total = sum(len(lists[i]) for i in hits) if len(hits) < 64 else self._GATE_NUMPY
        if total < self._GATE_NUMPY:
            # Few postings (the usual case): count in Python, stop at the first claim that passes.
            counts: dict[int, int] = {}
            for i in hits:
                for c in lists[i]:
                    k = counts.get(c, 0) + 1
                    if k >= need[c]:
                        return True
                    counts[c] = k
            return False
        ids = np.fromiter(hits, dtype=np.int64, count=len(hits))
        s, e = starts[ids], starts[ids + 1]
        lengths = e - s
        offs = np.repeat(s - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths) + np.arange(int(lengths.sum()))
        per_claim = np.bincount(self._gate_claims[offs])
        present = np.flatnonzero(per_claim)
        return bool((per_claim[present] >= self._gate_need[present]).any())

    def search(self, text: str, *, limit: int = 3) -> list[ClaimMatch]:
        """Claims the text repeats, best first, each with its similarity and span in ``text``."""
        if not text or not self.size or not self.may_match(text):
            return []
        tk = tokenize(text)
        feats = _features(tk.tokens)
        if not feats:
            return []
        vocab = self.vocab
        ids = [vocab.get(f[0], -1) for f in feats]
        known = sorted({i for i in ids if i >= 0 and self._df[i] <= self._max_df})
        if not known:
            return []
        cand = self._candidates(np.asarray(known, dtype=np.int64))
        if not len(cand):
            return []
        # The post's feature weights by last token (prefix sums give any window's weight), and the bigrams
        # that reach back over a window's first token (subtracted: they are not inside the window).
        weights = self.weight
        unseen = self.unseen_weight
        tok_weight = [0.0] * len(tk.tokens)
        reach_back: dict[int, list[tuple[int, float]]] = {}
        rare = self._rare
        for (f, start, end), fid in zip(feats, ids):
            if fid >= 0 and not rare[fid]:
                continue  # too common to tell claims apart: ignored on both sides, like in candidate ranking
            w = float(weights[fid]) if fid >= 0 else unseen * self._kind_weight(f)
            tok_weight[end] += w
            if start != end:
                reach_back.setdefault(end, []).append((start, w))
        prefix = [0.0]
        for w in tok_weight:
            prefix.append(prefix[-1] + w)
        where: dict[int, list[tuple[int, int, int]]] = {}
        for (_, start, end), fid in zip(feats, ids):
            if fid >= 0 and rare[fid]:
                where.setdefault(fid, []).append((end, fid, start))
        post = _Post(feats, ids, prefix, reach_back, tk, where)
        matches: list[ClaimMatch] = []
        for c in cand:
            m = self._verify(int(c), post)
            if m is not None:
                matches.append(m)
        matches.sort(key=lambda m: -m.similarity)
        # One passage repeats one claim: a weaker match overlapping a stronger one (a claim sharing half its
        # words, or the claim a refutation quotes) is the same passage, not a second finding.
        # Between two overlapping matches of nearly equal score, the one with fewer foreign words in its
        # passage wins: "豆浆能快速缓解高血压" is the claim "豆浆…高血压，三天见效" cut short, not "核桃…高血压".
        kept: list[ClaimMatch] = []
        for m in matches:
            clash = [i for i, k in enumerate(kept) if not (m.span[1] <= k.span[0] or m.span[0] >= k.span[1])]
            if not clash:
                kept.append(m)
            elif len(clash) == 1:
                k = kept[clash[0]]
                if m.similarity >= k.similarity - 0.05 and m.precision > k.precision + 0.1:
                    kept[clash[0]] = m
        out: list[ClaimMatch] = []
        mapped = None
        for m in kept[:limit]:
            if mapped is None:
                mapped = normalize_with_offsets(text.translate(_BREAKS), keep="_", collapse=False)
            s, e = mapped.span(*m.span)
            out.append(ClaimMatch(m.claim, m.similarity, m.coverage, m.precision, (s, e), m.refuted))
        return out

    def _candidates(self, feats: np.ndarray) -> np.ndarray:
        starts, ends = self._post_start[feats], self._post_start[feats + 1]
        lengths = ends - starts
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int32)
        # Gather the postings of every post feature in one vectorised step.
        offs = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths) + np.arange(total)
        claims = self._post_claims[offs]
        w = np.repeat(self.weight[feats], lengths)
        uniq, inv = np.unique(claims, return_inverse=True)
        acc = np.bincount(inv, weights=w)
        # Keep claims with enough of their weight present anywhere in the post; rank them by a Dice estimate
        # (matched weight against claim + post weight), so a longer claim the post fully contains is not
        # pushed out by many shorter siblings that each miss a word.
        claim_w = self._claim_rare_weight[uniq]
        keep = acc / claim_w >= self.min_coverage
        uniq, acc, claim_w = uniq[keep], acc[keep], claim_w[keep]
        if len(uniq) > self.candidates:
            post_w = float(self.weight[feats].sum())
            top = np.argpartition(-(acc / (claim_w + post_w)), self.candidates)[: self.candidates]
            uniq = uniq[top]
        return uniq

    def _claim_positions(self, claim: int) -> dict[int, tuple[int, int]]:
        """Feature id -> (first, last) token of its first occurrence in the claim. Computed on demand (only
        candidates are verified) and cached, instead of holding a dict per claim for 100,000 claims."""
        got = self._positions_cache.get(claim)
        if got is None:
            got = {}
            vocab = self.vocab
            rare = self._rare
            for f, a, b in _features(tokenize(self._texts[claim]).tokens):
                fid = vocab[f]
                if rare[fid] and fid not in got:
                    got[fid] = (a, b)
            if len(self._positions_cache) >= 8192:
                self._positions_cache.clear()
            self._positions_cache[claim] = got
        return got

    def _verify(self, claim: int, post: _Post) -> ClaimMatch | None:
        weights = self.weight
        where = post.where
        cpos = self._claim_positions(claim)
        hits = [h for fid in cpos if fid in where for h in where[fid]]
        if not hits:
            return None
        hits.sort()
        total = float(self._claim_rare_weight[claim])
        max_len = max(4, int(self.claim_lengths[claim] * 1.5) + 2)
        prefix, reach_back = post.prefix, post.reach_back
        counts: dict[int, int] = {}
        matched = 0.0
        left = 0
        best = (0.0, 0.0, 0.0, 0, 0)
        # Two pointers over the matched features (ordered by last token): the window is never longer than
        # max_len tokens; each feature counts once however often it repeats.
        n_tokens, claim_len = len(post.tokens.tokens), self.claim_lengths[claim]
        for right, (end, fid, _) in enumerate(hits):
            if counts.get(fid, 0) == 0:
                matched += float(weights[fid])
            counts[fid] = counts.get(fid, 0) + 1
            while end - hits[left][2] >= max_len:
                lfid = hits[left][1]
                counts[lfid] -= 1
                if counts[lfid] == 0:
                    matched -= float(weights[lfid])
                left += 1
            # A leftmost feature that occurs again later in the window adds nothing but junk before it.
            while counts[hits[left][1]] > 1:
                counts[hits[left][1]] -= 1
                left += 1
            first = hits[left][2]
            for h in hits[left + 1:left + 3]:  # a skip-bigram ending later may start earlier
                if h[2] < first:
                    first = h[2]
            coverage = matched / total
            plain = prefix[end + 1] - prefix[first]
            if plain > 0:
                p_up = min(1.0, matched / plain)
                if coverage + p_up == 0 or 2 * coverage * p_up / (coverage + p_up) <= best[0]:
                    continue  # aligning only widens the window: it cannot beat the best one
            # Align: claim words before the first (after the last) matched one should sit just before
            # (after) the passage; what the post has there instead counts against precision. A sibling
            # claim that differs in its first word (芒果 vs 榴莲…) is caught here; a truncated copy is not
            # penalised where the post simply ends.
            # (Claim positions rise with post positions in a copy: the window's first and last hits suffice.)
            c_first = min(cpos[h[1]][0] for h in hits[left:left + 3])
            c_last = max(cpos[h[1]][1] for h in hits[max(left, right - 2):right + 1])
            lo = max(0, first - c_first)
            hi = min(n_tokens - 1, end + (claim_len - 1 - c_last))
            window = prefix[hi + 1] - prefix[lo]
            for t in range(lo, min(hi, lo + 2) + 1):
                for st, w in reach_back.get(t, ()):
                    if st < lo:
                        window -= w
            precision = min(1.0, matched / window) if window > 0 else 0.0
            f1 = 2 * coverage * precision / (coverage + precision) if coverage + precision else 0.0
            if f1 > best[0]:
                best = (f1, coverage, precision, first, end)
        f1, coverage, precision, s_tok, e_tok = best
        if f1 < self.min_similarity or coverage < self.min_coverage:
            return None
        tk = post.tokens
        span = (tk.spans[s_tok][0], tk.spans[e_tok][1])
        return ClaimMatch(
            claim, round(float(f1), 4), round(float(coverage), 4), round(float(precision), 4), span,
            self._refuted(claim, tk, s_tok, e_tok),
        )

    def _refuted(self, claim: int, tk: _Tokens, s_tok: int, e_tok: int) -> bool:
        # Look a few tokens around the passage (谣言！…, "…: FALSE"), but never count cue words of the claim itself.
        lo = tk.spans[max(0, s_tok - 12)][0]
        hi = tk.spans[min(len(tk.spans) - 1, e_tok + 12)][1]
        found = {m.group(0) for m in _REFUTE_RE.finditer(tk.norm, lo, hi)}
        return bool(found - self._claim_cues[claim])
