"""The partner registry: partner nodes, their public keys, inbox URLs and the credentials between us.

Adding a partner creates its *service account* here (role ``partner_node``) and an API token the partner uses to
push bundles to our inbox; that token is shown once and handed over out of band, together with our public keys.
The partner's token for *its* inbox is stored as ``outbound_token``. Removal keeps the row (audit and received
records refer to it) and disables the service account: the inbox refuses the partner from then on.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.auth import passwords, tokens
from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.accounts import User
from palermo.db.reference import Agency
from palermo.db.sharing import Partner
from palermo.errors import Conflict, InvalidInput, NotFound
from palermo.node import UNNAMED_AGENCY, check_agency_code
from palermo.sharing.audit_events import log_administration
from palermo.sharing.keys import PublicKeys, fingerprint, parse_public_key
from palermo.taxonomies.countries import normalise_country

NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{1,40}")
SERVICE_PREFIX = "partner-"
TOKEN_DAYS = 3650


@dataclass(frozen=True)
class PartnerInfo:
    name: str
    agency_code: str
    agency_name: str
    country: str
    url: str | None
    signing_key: str
    encryption_key: str
    fingerprint: str
    status: str
    has_outbound_token: bool

    @classmethod
    def of(cls, row: Partner) -> PartnerInfo:
        return cls(
            row.name,
            row.agency_code,
            row.agency_name,
            row.country,
            row.url,
            row.signing_key,
            row.encryption_key,
            row.fingerprint,
            row.status,
            row.outbound_token is not None,
        )

    @property
    def keys(self) -> PublicKeys:
        return PublicKeys(self.signing_key, self.encryption_key)


@dataclass(frozen=True)
class NewPartner:
    """A registered partner and the inbox token to hand to it (shown once)."""

    partner: PartnerInfo
    inbound_token: str


def _agency(session: Session, code: str, name: str, country: str) -> Agency:
    agency = session.scalars(select(Agency).where(Agency.code == code)).first()
    if agency is None:
        agency = Agency(code=code, name=name, country=country, kind="partner")
        session.add(agency)
        session.flush()
    return agency


def _service_account(session: Session, username: str, agency: Agency) -> User:
    if session.scalars(select(User.id).where(User.username == username)).first() is not None:
        raise Conflict(f"an account named {username!r} already exists; choose another partner name")
    user = User(
        username=username,
        display_name=f"Partner node {username.removeprefix(SERVICE_PREFIX)}",
        agency_id=agency.id,
        role="partner_node",
        password_hash=passwords.hash_password(passwords.one_time_password()),
        must_change_password=False,
        disabled=False,
        totp_enabled=False,
        failed_logins=0,
    )
    session.add(user)
    session.flush()
    return user


def add_partner(
    session: Session,
    actor: Actor,
    *,
    name: str,
    agency_code: str,
    country: str,
    signing_key: str,
    encryption_key: str,
    url: str | None = None,
    agency_name: str | None = None,
    outbound_token: str | None = None,
) -> NewPartner:
    """Register a partner node (keys checked), its service account and its inbox token."""
    guard(session, actor, "partners.manage", subject=f"partner:{name}")
    if not NAME_PATTERN.fullmatch(name):
        raise InvalidInput(f"partner name {name!r} must be 2-41 of a-z 0-9 _ - and start with a letter or digit")
    if session.scalars(select(Partner.id).where(Partner.name == name)).first() is not None:
        raise Conflict(f"a partner named {name!r} already exists")
    if url is not None and not url.startswith(("http://", "https://")):
        raise InvalidInput(f"partner URL {url!r} must start with http:// or https://")
    _check_agencies(check_agency_code(agency_code), actor.agency_code)
    signing, encryption = parse_public_key(signing_key, "signing"), parse_public_key(encryption_key, "encryption")
    country = normalise_country(country)
    agency = _agency(session, agency_code, agency_name or agency_code, country)
    user = _service_account(session, SERVICE_PREFIX + name, agency)
    row = Partner(
        name=name,
        agency_code=agency_code,
        agency_name=agency_name or agency_code,
        country=country,
        url=url.rstrip("/") if url else None,
        signing_key=signing,
        encryption_key=encryption,
        fingerprint=fingerprint(signing, encryption),
        service_username=user.username,
        outbound_token=outbound_token,
        status="active",
    )
    session.add(row)
    session.flush()
    token = tokens.create_token(
        session,
        actor,
        name=f"exchange inbox of partner {name}",
        scopes=["exchange.deliver"],
        days=TOKEN_DAYS,
        username=user.username,
    )
    log_administration(
        session,
        actor=actor.name,
        agency=actor.agency_code or "",
        what="partner_added",
        subject=name,
        fingerprint=row.fingerprint,
        agency_code=agency_code,
        country=country,
    )
    return NewPartner(PartnerInfo.of(row), token.secret)


def _check_agencies(partner: str, own: str | None) -> None:
    """Refuse a partnership that would leave records without a telling originator."""
    if own == UNNAMED_AGENCY:
        raise InvalidInput(
            f"this node's agency code is {UNNAMED_AGENCY!r}, the default: partners could not tell its records from "
            "another node's. Initialise a node that shares with `palermo init --agency CODE`"
        )
    if partner == UNNAMED_AGENCY:
        raise InvalidInput(
            f"agency code {UNNAMED_AGENCY!r} is the default of a node without one; ask the partner for its code "
            "(`palermo node show` there)"
        )
    if partner == own:
        raise InvalidInput(f"agency code {partner!r} is this node's own; a partner has its own code")


def set_outbound_token(session: Session, actor: Actor, name: str, token: str) -> PartnerInfo:
    """Store the token the partner issued us for pushing to its inbox."""
    guard(session, actor, "partners.manage", subject=f"partner:{name}")
    row = find_partner(session, name)
    row.outbound_token = token.strip()
    log_administration(
        session, actor=actor.name, agency=actor.agency_code or "", what="partner_token_set", subject=name
    )
    return PartnerInfo.of(row)


def find_partner(session: Session, name: str, *, active: bool = True) -> Partner:
    row = session.scalars(select(Partner).where(Partner.name == name)).first()
    if row is None:
        raise NotFound(f"no partner named {name!r}; see `palermo partners list`")
    if active and row.status != "active":
        raise NotFound(f"partner {name!r} was removed on {row.removed_at}")
    return row


def partner_by_signing_key(session: Session, signing_key: str) -> Partner | None:
    return session.scalars(select(Partner).where(Partner.signing_key == signing_key)).first()


def list_partners(session: Session, actor: Actor) -> list[PartnerInfo]:
    guard(session, actor, "partners.read")
    return [PartnerInfo.of(r) for r in session.scalars(select(Partner).order_by(Partner.name))]


def remove_partner(session: Session, actor: Actor, name: str) -> PartnerInfo:
    """Mark the partner removed and disable its service account; its bundles are refused from now on."""
    guard(session, actor, "partners.manage", subject=f"partner:{name}")
    row = find_partner(session, name)
    row.status = "removed"
    row.removed_at = dt.datetime.now(dt.UTC)
    row.outbound_token = None
    user = session.scalars(select(User).where(User.username == row.service_username)).first()
    if user is not None:
        user.disabled = True
    log_administration(session, actor=actor.name, agency=actor.agency_code or "", what="partner_removed", subject=name)
    return PartnerInfo.of(row)
