"""The governance store: SQLAlchemy tables, Alembic migrations and bulk writes over SQLite or PostgreSQL.

``Store(url)`` opens (and, when empty, creates) a database; ``brightline db upgrade`` migrates an older one.
Changing the schema: edit ``tables.py``, then add a revision next to ``migrations/versions/0002_governance.py``
(``alembic.command.revision(alembic_config(), "what changed")`` writes the skeleton from ``script.py.mako``).
``tests/governance/test_store.py`` fails until the migrations produce exactly the tables the models describe,
and checks that a database at the previous revision upgrades with its data.
"""

from brightline.store.database import DEFAULT_URL, Store, StoreError, alembic_config, head_revision, normalize_url

__all__ = ["DEFAULT_URL", "Store", "StoreError", "alembic_config", "head_revision", "normalize_url"]
