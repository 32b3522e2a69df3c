"""A statistics release: k-anonymous microdata of victim cases and differentially private counts, never raw records.

``make_release`` (``stats.release``, a disclosure of anonymised data, justified and logged) reads the rows inside
the core and hands out only: the k-anonymous microdata (k >= 11 over all released variables, checked before it
leaves), its generalisation and suppression, and noisy histograms (OpenDP) with the epsilon each spends and the
total. The release says in words what it holds and how far each number may be from the truth.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from palermo.audit.access_log import note_results
from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.errors import InvalidInput
from palermo.stats.hierarchies import AGE_BANDS, age_band
from palermo.stats.kanon import MIN_K, KAnonymousRelease, k_anonymise
from palermo.stats.noisy import NoisyHistogram, noisy_histogram
from palermo.stats.sources import EXPLOITATIONS, traveller_indicators, victim_case_rows
from palermo.taxonomies import taxonomy

VARIABLES = ("age_band", "sex", "citizenship", "exploitation", "year")
MAX_INDICATORS_PER_TRAVELLER = 3
MAX_YEARS = 20
MIN_EPSILON, MAX_EPSILON = 0.01, 10.0


class StatisticsRelease(BaseModel):
    model_config = ConfigDict(frozen=True)

    made_at: str
    years: list[int] = Field(description="The years the noisy counts cover (fixed by the operator, not the data)")
    microdata: KAnonymousRelease
    counts: list[NoisyHistogram]
    epsilon_total: float = Field(description="The privacy loss of all the counts together (sequential composition)")
    explanation: str


def make_release(
    session: Session,
    actor: Actor,
    *,
    k: int = MIN_K,
    epsilon: float = 1.0,
    first_year: int | None = None,
    last_year: int | None = None,
    max_suppressed: float = 0.05,
    variables: Sequence[str] = VARIABLES,
) -> StatisticsRelease:
    """A release for researchers: k-anonymous victim-case microdata over ``variables`` (k over all of them) and
    noisy counts with ``epsilon`` in total. Fewer variables keep more detail in each (docs/statistics.md)."""
    access = guard(session, actor, "stats.release", subject="statistics_release")
    if not MIN_EPSILON <= epsilon <= MAX_EPSILON:
        raise InvalidInput(
            f"epsilon of a release is {MIN_EPSILON} to {MAX_EPSILON} (below, every count is noise), got {epsilon}",
            field="epsilon",
        )
    unknown = [v for v in variables if v not in VARIABLES]
    if not variables or unknown or len(set(variables)) != len(variables):
        raise InvalidInput(
            f"variables are one or more of {', '.join(VARIABLES)}, each once; got {', '.join(variables) or 'none'}",
            field="variables",
        )
    this_year = dt.date.today().year
    last = last_year if last_year is not None else this_year
    first = first_year if first_year is not None else last - 4
    if not 0 <= last - first < MAX_YEARS:
        raise InvalidInput(f"a release covers 1 to {MAX_YEARS} years, first to last, got {first}-{last}")
    span = range(first, last + 1)
    cases = victim_case_rows(session)
    in_span = [r for r in cases if int(r["year"]) in span]
    microdata = k_anonymise(in_span, list(variables), k=k, max_suppressed=max_suppressed)
    share = epsilon / 4  # four histograms, sequential composition
    bands = [age_band(low) for low, _ in AGE_BANDS] + ["unknown"]
    indicators = list(taxonomy("risk_indicators").ids)
    per_case = [
        ("victim cases by year", [str(y) for y in span], "year"),
        ("victim cases by form of exploitation", list(EXPLOITATIONS), "exploitation"),
        ("victim cases by age band", bands, "age_band"),
    ]
    counts = [
        noisy_histogram(name, "victim case", categories, [[r[variable]] for r in in_span], epsilon=share)
        for name, categories, variable in per_case
    ]
    counts.append(
        noisy_histogram(
            "travellers alerted at the border by risk indicator",
            "traveller",
            indicators,
            traveller_indicators(session, span),
            epsilon=share,
            bound=MAX_INDICATORS_PER_TRAVELLER,
        )
    )
    total = round(sum(c.epsilon for c in counts), 6)
    note_results(session, access, len(microdata.rows))  # the access log says how many (generalised) rows left
    return StatisticsRelease(
        made_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        years=list(span),
        microdata=microdata,
        counts=counts,
        epsilon_total=total,
        explanation=(
            f"Victim cases opened {first}-{last}: {microdata.explanation}. Counts: four histograms with differential "
            f"privacy, epsilon {total:g} in all (each {share:g}); a victim case is in each case histogram once, a "
            f"traveller adds at most {MAX_INDICATORS_PER_TRAVELLER} indicators however often met. No record, name, "
            "date or id is released."
        ),
    )
