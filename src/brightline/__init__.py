"""brightline: an open content-governance engine.

The public API::

    from brightline import Engine, Post, Account, Report
    engine = Engine(policy="cn-cac-2025")
    decision = engine.screen(Post(id="p1", text="..."))
    decision.to_dict()
"""

from brightline.engine import Engine
from brightline.model import (
    Account,
    Action,
    Decision,
    Distribution,
    ErrorRecord,
    Media,
    Post,
    Qualification,
    Report,
    Signal,
    SubjectRef,
)

__version__ = "0.1.0"

__all__ = [
    "Engine",
    "Account",
    "Action",
    "Decision",
    "Distribution",
    "ErrorRecord",
    "Media",
    "Post",
    "Qualification",
    "Report",
    "Signal",
    "SubjectRef",
    "__version__",
]
