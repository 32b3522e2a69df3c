"""Money transfer reports (``payments_fiu``): network payments and the innocent remittances they hide among."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from palermo.synth import records
from palermo.synth.context import Context
from palermo.synth.people import Person

_REMITTANCE_SHARE = 0.5


def _when(ctx: Context) -> str:
    moment = dt.datetime.combine(ctx.window_start, dt.time(), dt.UTC)
    moment += dt.timedelta(days=ctx.rng.randrange(ctx.config.window_days), minutes=ctx.rng.randrange(1440))
    return moment.strftime("%Y-%m-%dT%H:%M:00Z")


def transfer(ctx: Context, payer: Person, payee: Person | None, amount: float, reference: str) -> str:
    """One money transfer between two persons (the payee may be a name only); returns its source key."""
    key = records.new_key(ctx, "payments_fiu", "transactions")
    payer_key = records.reported_person(ctx, "payments_fiu", payer)
    payee_key = records.reported_person(ctx, "payments_fiu", payee) if payee else None
    row = {"source_key": key, "occurred_at": _when(ctx), "amount": f"{Decimal(str(round(amount, 2))):.2f}",
           "currency": "EUR", "channel": "money_transfer", "payer_key": payer_key, "payee_key": payee_key,
           "payee_name": None if payee else f"{ctx.name(payer.nationality, 'F').doc_given} {payer.name.doc_surname}",
           "reference": reference}  # fmt: skip
    ctx.sink.record("payments_fiu", "transactions", row)
    return key


def remittances(ctx: Context, workers: list[Person]) -> None:
    """Half the workers send money home to a relative a few times: ordinary, lawful, frequent."""
    for worker in workers:
        if ctx.chance(_REMITTANCE_SHARE):
            for _ in range(ctx.rng.randint(1, 4)):
                transfer(ctx, worker, None, ctx.rng.uniform(80, 600), "family support")
