"""Ingest: file -> reader -> validate -> upsert by (source, source_key) -> rejects file -> run summary.

One documented format per kind of record (``formats``), the same for CSV, JSON Lines and Parquet. Good rows are
committed in batches; bad rows go to a rejects file with line, field, reason and the raw row; re-running a file
changes nothing that is already there.
"""
