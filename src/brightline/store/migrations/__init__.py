"""Alembic migrations of the brightline store, shipped inside the package so a pip-installed brightline can
migrate its own database (``brightline db upgrade``)."""
