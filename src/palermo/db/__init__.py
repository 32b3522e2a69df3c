"""The relational store: engine and sessions, table definitions, Alembic migrations."""
