"""Alembic migrations of the publishing side's tables (mailings, deliveries).

Run programmatically by `syndication.database.upgrade_schema` (no alembic.ini); the version
table is `alembic_version_syndication`.
"""
