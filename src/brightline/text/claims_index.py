"""Claim matching: find which known claims a post repeats — reworded, shortened, padded, traditional vs
simplified, with inserted symbols.

Why by hand: near-duplicate libraries (datasketch MinHash LSH, TF-IDF cosine) score whole documents
symmetrically, so a claim padded into a long post, or cut down to half, scores low; here the score is
computed on the best-matching *passage* of the post, and the passage is reported as a span.

How it works:

1. Text goes through :func:`brightline.text.normalize` (NFKC, case, traditional→simplified, confusables,
   symbols removed) with word breaks kept, then becomes tokens: each CJK character is a token, each run of
   other letters/digits is a word token.
2. Features are token unigrams (half weight) and bigrams, weighted by IDF over the claims. English stop
   words are not features.
3. **Candidates** come from an inverted index (feature → claims, as numpy arrays) over the post's features
   that are rare enough (``max_df``); the claims with the most matched weight go on.
4. **Verification** slides a window over the post's tokens (at most ``1.5 ×`` the claim's length): in the best
   window, *coverage* is the share of the claim's weight found there and *precision* the share of the
   window's weight that belongs to the claim. Similarity is their harmonic mean (F1): a padded copy keeps
   high precision inside its window, a shortened copy keeps high precision, a reworded one keeps enough of
   both; an unrelated post sharing a few words has neither.
5. **Refutation**: when the passage or its neighbourhood says 谣言/辟谣/不实/not true/false/myth… (and the
   claim itself does not), the match is marked ``refuted`` — a post debunking a claim quotes it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from brightline.text import normalize, normalize_with_offsets

#: Word breaks survive normalization as "_" (a character ``normalize`` can keep), one for one, so offsets hold.
_BREAKS = str.maketrans({c: "_" for c in " \t\n\r\f\v\u00a0\u3000-/"})
_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]|[^\W_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+")
_STOP = frozenset(
    "a an the of to in on at by for from with and or but is are was were be been being it its this that these "
    "those as do does did you your we our they their he she his her i me my will would can could should has have "
    "had not no so if than then there here into about up out over just also very".split()
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

    #: Weight of a unigram relative to a bigram: characters carry rewordings, bigrams carry precision.
    UNIGRAM_WEIGHT = 0.5

    def __init__(
        self,
        texts: Iterable[str],
        *,
        min_similarity: float = 0.5,
        min_coverage: float = 0.3,
        max_df: float = 0.05,
        candidates: int = 8,
    ) -> None:
        self.min_similarity = min_similarity
        self.min_coverage = min_coverage
        self.candidates = candidates
        vocab: dict[str, int] = {}
        claim_feats: list[np.ndarray] = []
        self.claim_lengths: list[int] = []
        self._claim_cues: list[frozenset[str]] = []
        for text in texts:
            tk = tokenize(text)
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
        self._is_bigram = np.fromiter((f.startswith("b:") for f in vocab), dtype=bool, count=len(vocab))
        self.weight = self.idf * np.where(self._is_bigram, 1.0, self.UNIGRAM_WEIGHT)
        # Postings: claims of each feature, one sorted slice of a flat array (CSR layout).
        order = np.argsort(all_feats, kind="stable")
        self._post_claims = owners[order]
        self._post_start = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(df.astype(np.int64), out=self._post_start[1:])
        self._df = df
        self._max_df = max(50.0, max_df * n)
        self._claim_feats = [set(a.tolist()) for a in claim_feats]
        self._claim_weight = np.array([self.weight[a].sum() for a in claim_feats]) if n else np.zeros(0)

    def __len__(self) -> int:
        return self.size

    def search(self, text: str, *, limit: int = 3) -> list[ClaimMatch]:
        """Claims the text repeats, best first, each with its similarity and span in ``text``."""
        if not text or not self.size:
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
        unseen_uni, unseen_bi = self.unseen_weight * self.UNIGRAM_WEIGHT, self.unseen_weight
        tok_weight = [0.0] * len(tk.tokens)
        reach_back: dict[int, list[tuple[int, float]]] = {}
        for (f, start, end), fid in zip(feats, ids):
            w = float(weights[fid]) if fid >= 0 else (unseen_uni if f[0] == "u" else unseen_bi)
            tok_weight[end] += w
            if start != end:
                reach_back.setdefault(end, []).append((start, w))
        prefix = [0.0]
        for w in tok_weight:
            prefix.append(prefix[-1] + w)
        post = _Post(feats, ids, prefix, reach_back, tk)
        matches: list[ClaimMatch] = []
        for c in cand:
            m = self._verify(int(c), post)
            if m is not None:
                matches.append(m)
        matches.sort(key=lambda m: -m.similarity)
        # One passage repeats one claim: a weaker match overlapping a stronger one (a claim sharing half its
        # words, or the claim a refutation quotes) is the same passage, not a second finding.
        kept: list[ClaimMatch] = []
        for m in matches:
            if all(m.span[1] <= k.span[0] or m.span[0] >= k.span[1] for k in kept):
                kept.append(m)
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
        # Rank by the share of the claim's weight present anywhere in the post.
        share = acc / self._claim_weight[uniq]
        keep = share >= self.min_coverage
        uniq, share = uniq[keep], share[keep]
        if len(uniq) > self.candidates:
            top = np.argpartition(-share, self.candidates)[: self.candidates]
            uniq = uniq[top]
        return uniq

    def _verify(self, claim: int, post: _Post) -> ClaimMatch | None:
        cset = self._claim_feats[claim]
        weights = self.weight
        hits = [(end, fid, start) for (_, start, end), fid in zip(post.feats, post.ids) if fid in cset]
        if not hits:
            return None
        hits.sort()
        total = float(self._claim_weight[claim])
        max_len = max(4, int(self.claim_lengths[claim] * 1.5) + 2)
        prefix, reach_back = post.prefix, post.reach_back
        counts: dict[int, int] = {}
        matched = 0.0
        left = 0
        best = (0.0, 0.0, 0.0, 0, 0)
        # Two pointers over the matched features (ordered by last token): the window is never longer than
        # max_len tokens; each feature counts once however often it repeats.
        for end, fid, _ in hits:
            if counts.get(fid, 0) == 0:
                matched += float(weights[fid])
            counts[fid] = counts.get(fid, 0) + 1
            while end - hits[left][2] >= max_len:
                lfid = hits[left][1]
                counts[lfid] -= 1
                if counts[lfid] == 0:
                    matched -= float(weights[lfid])
                left += 1
            first = min(h[2] for h in hits[left:left + 3])
            window = prefix[end + 1] - prefix[first]
            for t in range(first, min(end, first + 2) + 1):
                for st, w in reach_back.get(t, ()):
                    if st < first:
                        window -= w
            coverage = matched / total
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
