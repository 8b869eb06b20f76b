"""One definition of precision and recall for the labelled evaluations in bench/ (SPEC quality targets)."""

from __future__ import annotations


class PrecisionRecall:
    """Mixin for a tally with ``tp``, ``fp`` and ``fn`` counts. An empty denominator scores 1.0: nothing was
    predicted (no false alarm possible) or nothing was expected (nothing to miss)."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
