"""Accounts and access: users and roles, passwords, TOTP, web sessions, API tokens, permissions, justifications.

Every core operation checks its permission with :func:`palermo.auth.access.guard` (or
:func:`palermo.auth.permissions.authorize` when it records nothing); both take an
:class:`palermo.auth.actor.Actor`, built by the API from a session or token and by the CLI from the OS user.
"""
