"""The governance store: SQLAlchemy tables, Alembic migrations and queries over SQLite or PostgreSQL."""

from brightline.store.database import DEFAULT_URL, Store, StoreError, head_revision, normalize_url

__all__ = ["DEFAULT_URL", "Store", "StoreError", "head_revision", "normalize_url"]
