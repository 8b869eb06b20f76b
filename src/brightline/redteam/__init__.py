"""Red-team harness (capability L): disguise known violations with every evasion type and measure recall.

    from brightline.engine import Engine
    from brightline.redteam import run_redteam, load_seeds

    report = run_redteam(Engine(), per_seed=3, rng_seed=1)
    report.overall.recall, report.per_detector["diversion.contact"].recall

The variant generators (:func:`make_variant`, :data:`EVASION_TYPES`) are reusable by evaluation corpora
(``bench/eval_diversion.py`` builds its labelled positives with them). The seeds file format is described
in :mod:`brightline.redteam.seeds`.
"""

from brightline.redteam.harness import RedteamReport, Tally, default_seeds, evasion_matrix, run_redteam
from brightline.redteam.seeds import DEFAULT_CONTACTS, Seed, load_seeds
from brightline.redteam.variants import EVASION_TYPES, Variant, make_variant, plain_text

__all__ = [
    "DEFAULT_CONTACTS",
    "EVASION_TYPES",
    "RedteamReport",
    "Seed",
    "Tally",
    "Variant",
    "default_seeds",
    "evasion_matrix",
    "load_seeds",
    "make_variant",
    "plain_text",
    "run_redteam",
]
