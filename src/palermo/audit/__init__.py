"""Tamper-evident audit log: an RFC 9162 Merkle tree over logged operations, signed tree heads, verification.

Call :func:`append` in the same transaction as the operation it records; sign tree heads regularly
(:func:`sign_tree_head`); an oversight body runs :func:`verify_log` or verifies an :func:`export_since` with
:func:`verify_export`. See ``docs/audit.md``.
"""

from palermo.audit.entries import AuditEvent, ObjectRef
from palermo.audit.export import export_since, verify_export
from palermo.audit.keys import SigningKey, node_signing_key
from palermo.audit.log import append, log_size
from palermo.audit.proofs import consistency_proof, inclusion_proof
from palermo.audit.tree_heads import sign_tree_head
from palermo.audit.verify import VerificationReport, verify_log, verify_node_log

__all__ = [
    "AuditEvent",
    "ObjectRef",
    "SigningKey",
    "VerificationReport",
    "append",
    "consistency_proof",
    "export_since",
    "inclusion_proof",
    "log_size",
    "node_signing_key",
    "sign_tree_head",
    "verify_export",
    "verify_log",
    "verify_node_log",
]
