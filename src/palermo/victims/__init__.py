"""Victims first: ILO/EC indicator screening, victim cases, referral with consent (docs/victims.md).

Special-category data: every read needs ``victims.read`` and a justification, and is logged. Modules:
``catalogue`` (the indicator lists), ``rule`` (the published decision rule, explained), ``population`` (adult or
child), ``cases`` and ``assessments`` (append-only, revisable), ``protection`` (the case a border protect decision
opens), ``providers``, ``consent`` and ``referrals``, ``case_file`` (a case as a caseworker reads it).
"""
