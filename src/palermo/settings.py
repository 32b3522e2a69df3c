"""One place for settings: ``PALERMO_*`` environment variables with safe local defaults.

Nothing else in Palermo reads ``os.environ``. Every field is documented in ``docs/settings.md``; a test fails when
one is not. Outside development, an insecure secret key is refused.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from palermo.errors import ConfigurationError

INSECURE_SECRETS = frozenset({"", "changethis", "secret", "development", "palermo"})
MIN_SECRET_LENGTH = 32
# OWASP's password-storage minimum for Argon2id: at least 7 MiB, and memory × passes at least that of its
# m=7 MiB t=5 option (its other options, 19 MiB × 2 and 46 MiB × 1, clear the same bar).
MIN_PASSWORD_HASH_MEMORY_KIB = 7168
MIN_PASSWORD_HASH_WORK = 7168 * 5


class Settings(BaseSettings):
    """Settings of one Palermo node. Each field is read from ``PALERMO_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="PALERMO_", extra="ignore", frozen=True)

    env: Literal["development", "production"] = Field(
        "development", description="Deployment environment; `production` refuses insecure defaults."
    )
    home: Path = Field(
        Path.home() / ".palermo",
        description="Node home folder: the embedded database, keys and models.",
    )
    cache_dir: Path = Field(
        Path.home() / ".cache" / "palermo",
        description="Machine-wide cache of artefacts derived from installed libraries (the name-symbol table), "
        "shared by every node of this user; safe to delete, rebuilt by `palermo names build-symbols`.",
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL of the store. Unset: SQLite at `$PALERMO_HOME/palermo.db`. "
        "PostgreSQL: `postgresql+psycopg://user:pass@host:5432/db`.",
    )
    database_pool_size: int = Field(
        20,
        ge=1,
        le=500,
        description="Store connections kept open per process (PostgreSQL and SQLite); as many again are opened "
        "under peaks, and the server lets as many requests at once use the store (the rest queue without holding "
        "anything). Size it to about half the server's worker threads (40 per uvicorn worker).",
    )
    node_id: str | None = Field(
        None,
        description="Identifier of this node, used by `palermo init` (default: generated, then read from the store).",
    )
    agency: str = Field(
        "local",
        description="Code of the agency that operates this node; the originator of records it creates.",
    )
    secret_key: str = Field(
        "changethis",
        description="Secret for sessions and tokens. Must be set to 32+ random characters outside development.",
    )
    justification: str | None = Field(
        None,
        description="Justification (case reference or legal-basis code) for CLI consultations of personal data.",
    )
    case_reference_pattern: str = Field(
        r"^[A-Z][A-Z0-9]{1,15}[-/][0-9]{2,4}[-/][0-9A-Z]{1,12}$",
        description="Regular expression a case reference must match to justify a consultation of personal data "
        "(e.g. `JIT-2026-0042`); the alternative is a legal-basis code from `legal_bases.yaml`.",
    )
    login_max_failures: int = Field(
        5, ge=1, le=100, description="Failed logins (per user and per client address) before a lockout starts."
    )
    login_lockout_seconds: int = Field(
        300,
        ge=1,
        le=86_400,
        description="First lockout after too many failed logins; each further failure doubles it (capped at a day).",
    )
    password_hash_memory_kib: int = Field(
        65_536,
        ge=8,
        le=4_194_304,
        description="Memory of one Argon2id password hash, in KiB (default: RFC 9106's low-memory profile, 64 MiB).",
    )
    password_hash_passes: int = Field(3, ge=1, le=64, description="Argon2id passes over that memory (time cost).")
    password_hash_lanes: int = Field(4, ge=1, le=64, description="Argon2id lanes (parallelism).")
    session_idle_minutes: int = Field(
        30, ge=1, le=1440, description="A web session ends after this many minutes without a request."
    )
    session_max_hours: int = Field(12, ge=1, le=168, description="A web session ends this many hours after login.")
    cookie_secure: bool = Field(
        True,
        description="Send session cookies with the Secure flag (HTTPS only). Turn off only for local plain-HTTP use.",
    )
    max_request_bytes: int = Field(
        1_048_576,
        ge=1024,
        le=1_073_741_824,
        description="Largest request body the API and the pages accept (413 beyond, before the body is read); "
        "the exchange inbox takes bundles up to the sharing configuration's `max_bundle_bytes`.",
    )
    token_default_days: int = Field(
        90, ge=1, le=3650, description="Lifetime of an API token when its creator gives none."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "WARNING", description="Log level of library events (stderr)."
    )
    log_json: bool = Field(False, description="Write logs as JSON lines instead of key=value.")
    ingest_batch_size: int = Field(
        2000,
        ge=1,
        le=50_000,
        description="Rows per ingest transaction; a crash loses at most one uncommitted batch.",
    )
    oversight_timezone: str = Field(
        "UTC", description="IANA time zone in which the oversight report judges office hours (e.g. Europe/Rome)."
    )
    oversight_office_hours: str = Field(
        "07:00-19:00", pattern=r"^\d{2}:\d{2}-\d{2}:\d{2}$", description="Office hours, Monday to Friday, HH:MM-HH:MM."
    )
    oversight_volume_factor: float = Field(
        3.0, gt=1, description="A user is a volume outlier above this many times the median consultations of the role."
    )
    oversight_bulk_results: int = Field(
        500, ge=1, description="A single consultation or disclosure returning this many results counts as bulk."
    )
    ingest_workers: int = Field(
        1, ge=0, le=8, description="Worker processes that validate rows while the main process writes (0: none)."
    )
    ingest_max_field_length: int = Field(
        10_000,
        ge=100,
        description="Longest accepted field value, in characters; longer values reject the row.",
    )
    spark_checkpoint_dir: str | None = Field(
        None,
        description="Where Spark writes Splink's intermediate tables (a URI the driver and every executor reach); "
        "unset: $PALERMO_HOME/resolution/spark-checkpoints (local mode).",
    )

    @model_validator(mode="after")
    def _refuse_insecure_secret(self) -> Settings:
        if self.env != "development" and (
            self.secret_key.lower() in INSECURE_SECRETS or len(self.secret_key) < MIN_SECRET_LENGTH
        ):
            raise ValueError(
                "PALERMO_SECRET_KEY is unset or insecure; outside development it must be at least "
                f"{MIN_SECRET_LENGTH} random characters, e.g. from `python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))'`"
            )
        if self.env != "development" and (
            self.password_hash_memory_kib < MIN_PASSWORD_HASH_MEMORY_KIB
            or self.password_hash_memory_kib * self.password_hash_passes < MIN_PASSWORD_HASH_WORK
        ):
            raise ValueError(
                "PALERMO_PASSWORD_HASH_MEMORY_KIB × PALERMO_PASSWORD_HASH_PASSES is below OWASP's minimum for "
                f"Argon2id (at least {MIN_PASSWORD_HASH_MEMORY_KIB} KiB, and memory × passes at least "
                f"{MIN_PASSWORD_HASH_WORK}); outside development password hashes must not be that cheap"
            )
        return self

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'palermo.db'}"


def load_settings() -> Settings:
    """Read settings from the environment, turning validation problems into one clear error."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"PALERMO_{'_'.join(str(p) for p in err['loc']).upper() or 'SETTINGS'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigurationError(f"invalid settings: {problems}") from None


@cache
def get_settings() -> Settings:
    """Settings of this process, read once. Tests build :class:`Settings` directly instead."""
    return load_settings()
