"""Every table, imported in one place so that ``Base.metadata`` is complete (Alembic, tests)."""

from palermo.db.accounts import ApiToken, LoginThrottle, User, WebSession
from palermo.db.alerts import Alert, AlertEvent
from palermo.db.audit import AuditEntry, AuditLogState, TreeHead
from palermo.db.base import Base
from palermo.db.entities import Address, Contact, Organisation, Relationship, Transaction
from palermo.db.identities import Identity, IdentityLink, IdentityMember, MatchJudgement, ResolutionRun
from palermo.db.network import NetworkBuild, NetworkEdge
from palermo.db.persons import IdentityDocument, PersonName, PersonNameKey, PersonNationality, PersonRecord
from palermo.db.reference import Agency, IngestRun, Node, Source
from palermo.db.sharing import (
    DeliveryReceipt,
    HitQuery,
    OutboxMessage,
    Partner,
    ReceivedBundle,
    ReceivedRecord,
    SentRecord,
    SharingGroup,
    SharingGroupMember,
    Withdrawal,
)
from palermo.db.travel import BorderPoint, TravelEvent
from palermo.db.victims import (
    VictimAssessment,
    VictimCase,
    VictimConsent,
    VictimObservation,
    VictimReferral,
    VictimServiceProvider,
)
from palermo.db.watchlists import Watchlist, WatchlistEntry

__all__ = [
    "Address",
    "Agency",
    "Alert",
    "AlertEvent",
    "ApiToken",
    "AuditEntry",
    "AuditLogState",
    "Base",
    "BorderPoint",
    "Contact",
    "DeliveryReceipt",
    "HitQuery",
    "Identity",
    "IdentityDocument",
    "IdentityLink",
    "IdentityMember",
    "IngestRun",
    "LoginThrottle",
    "MatchJudgement",
    "NetworkBuild",
    "NetworkEdge",
    "Node",
    "Organisation",
    "OutboxMessage",
    "Partner",
    "PersonName",
    "PersonNameKey",
    "PersonNationality",
    "PersonRecord",
    "ReceivedBundle",
    "ReceivedRecord",
    "Relationship",
    "ResolutionRun",
    "SentRecord",
    "SharingGroup",
    "SharingGroupMember",
    "Source",
    "Transaction",
    "TravelEvent",
    "TreeHead",
    "User",
    "VictimAssessment",
    "VictimCase",
    "VictimConsent",
    "VictimObservation",
    "VictimReferral",
    "VictimServiceProvider",
    "Watchlist",
    "WatchlistEntry",
    "WebSession",
    "Withdrawal",
]
