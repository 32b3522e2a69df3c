"""Cross-border sharing between Palermo nodes: keys, partners, handling enforcement, bundles, hit/no-hit, PPRL.

See ``docs/sharing.md``. The core entry points are :func:`palermo.sharing.outgoing.share_records`,
:func:`palermo.sharing.inbox.receive`, :func:`palermo.sharing.outbox.deliver_pending` and the functions of
:mod:`palermo.sharing.hitnohit`.
"""
