"""k-anonymity by full-domain generalisation and suppression (CTDC's rule: k >= 11 over all released variables).

Every combination of generalisation levels (one level per variable: the lattice) is tried; at each, the records
whose combination of released values is shared by fewer than k records are suppressed (left out of the release).
The release chosen is the one that says most, measured as *precision loss* (Sweeney's Prec: the mean, over the
variables, of level / height; 0 when nothing is generalised, 1 when every variable is withheld), among those that
suppress at most ``max_suppressed`` of the records; when none does, the one that suppresses fewest. Ties go to the
lower discernibility (Bayardo and Agrawal's DM: classes of even size say more than one large class and a small
one). The release says which levels it took, how many records it suppressed, its smallest and mean class sizes.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from palermo.errors import InvalidInput
from palermo.stats.hierarchies import HIERARCHIES, Hierarchy

MIN_K = 11  # CTDC's threshold; a smaller k is refused


class Generalisation(BaseModel):
    model_config = ConfigDict(frozen=True)

    variable: str
    level: int
    height: int
    says: str = Field(description="What the released values are, in words (e.g. 'UN subregion')")


class KAnonymousRelease(BaseModel):
    """Microdata in which every combination of released values is shared by at least k records."""

    model_config = ConfigDict(frozen=True)

    k: int
    variables: list[str]
    rows: list[dict[str, str]] = Field(description="The released records, generalised; no id, sorted")
    generalisation: list[Generalisation]
    records_in: int
    suppressed: int = Field(description="Records left out: their combination was shared by fewer than k records")
    smallest_class: int | None = Field(description="The fewest records that share one combination (>= k)")
    mean_class: float | None
    precision_loss: float = Field(description="0: every variable as held; 1: every variable withheld")
    discernibility: int = Field(
        description="Bayardo and Agrawal's DM: the sum of each released class's size squared, plus records_in for "
        "each suppressed record (lower says more)"
    )
    explanation: str


def _classes(
    records: Sequence[dict[str, str]], hierarchies: list[Hierarchy], levels: tuple[int, ...]
) -> Counter[tuple[str, ...]]:
    return Counter(
        tuple(h.generalise(r[h.variable], lv) for h, lv in zip(hierarchies, levels, strict=True)) for r in records
    )


def _discernibility(classes: Counter[tuple[str, ...]], k: int, records: int) -> int:
    return sum(n * n if n >= k else n * records for n in classes.values())


def check_k(rows: Sequence[dict[str, str]], variables: Sequence[str], k: int) -> int | None:
    """The smallest class of ``rows`` over ``variables``; :class:`InvalidInput` when it is below ``k``."""
    counts = Counter(tuple(r[v] for v in variables) for r in rows)
    smallest = min(counts.values()) if counts else None
    if smallest is not None and smallest < k:
        raise InvalidInput(
            f"the release is not {k}-anonymous: a combination of released values is shared by {smallest}"
        )
    return smallest


def k_anonymise(
    records: Sequence[dict[str, str]], variables: Sequence[str], *, k: int = MIN_K, max_suppressed: float = 0.05
) -> KAnonymousRelease:
    """The most precise k-anonymous release of ``records`` over ``variables`` (every variable released counts)."""
    if k < MIN_K:
        raise InvalidInput(f"k is at least {MIN_K} (CTDC's rule for victim data), got {k}")
    if not 0 <= max_suppressed <= 1:
        raise InvalidInput("max_suppressed is a share of the records, 0 to 1")
    unknown = [v for v in variables if v not in HIERARCHIES]
    if unknown:
        raise InvalidInput(f"no generalisation hierarchy for {', '.join(unknown)} (known: {', '.join(HIERARCHIES)})")
    hierarchies = [HIERARCHIES[v] for v in variables]
    best: tuple[tuple[bool, float, int, int], tuple[int, ...], Counter[tuple[str, ...]]] | None = None
    for levels in itertools.product(*(range(h.height + 1) for h in hierarchies)):
        classes = _classes(records, hierarchies, levels)
        suppressed = sum(n for n in classes.values() if n < k)
        loss = sum(lv / h.height for h, lv in zip(hierarchies, levels, strict=True)) / len(hierarchies)
        too_many = suppressed > max_suppressed * len(records)
        score = (too_many, suppressed if too_many else loss, suppressed, _discernibility(classes, k, len(records)))
        if best is None or score < best[0]:
            best = (score, levels, classes)
    assert best is not None
    _, levels, classes = best
    kept = {combo: n for combo, n in classes.items() if n >= k}
    rows = [dict(zip(variables, combo, strict=True)) for combo, n in sorted(kept.items()) for _ in range(n)]
    smallest = check_k(rows, variables, k)
    suppressed = len(records) - len(rows)
    loss = sum(lv / h.height for h, lv in zip(hierarchies, levels, strict=True)) / len(hierarchies)
    said = [
        Generalisation(variable=h.variable, level=lv, height=h.height, says=h.names[lv])
        for h, lv in zip(hierarchies, levels, strict=True)
    ]
    return KAnonymousRelease(
        k=k,
        variables=list(variables),
        rows=rows,
        generalisation=said,
        records_in=len(records),
        suppressed=suppressed,
        smallest_class=smallest,
        mean_class=round(len(rows) / len(kept), 2) if kept else None,
        precision_loss=round(loss, 4),
        discernibility=_discernibility(classes, k, len(records)),
        explanation=(
            f"{len(rows)} of {len(records)} records released, each sharing its combination of "
            f"{', '.join(variables)} with at least {k - 1} others; {suppressed} suppressed (their combination was "
            f"rarer than {k}); released as "
            + ", ".join(f"{g.variable}: {g.says}" for g in said)
            + f"; precision loss {loss:.2f} (0: as held, 1: all withheld)"
        ),
    )
