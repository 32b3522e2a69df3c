"""The person score: ranked from its terms, explained (for reported hits) with the same total."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from palermo.screening.person_score import EntryFacts, Traveller, explained, person_terms, person_total
from palermo.screening.scoring_config import default_screening_config

DATES = st.sampled_from([None, "1975", "1975-03", "1975-03-14", "1975-14-03", "1976-03-14", "1990-01-01"])
COUNTRIES = st.lists(st.sampled_from(["RUS", "UKR", "SYR"]), max_size=2, unique=True)
SEXES = st.sampled_from([None, "M", "F", "X"])


@given(
    name_score=st.floats(0, 1),
    dates=st.tuples(DATES, DATES),
    countries=st.tuples(COUNTRIES, COUNTRIES),
    sexes=st.tuples(SEXES, SEXES),
    documents=st.tuples(st.lists(st.sampled_from(["7512345678", "FA123456"]), max_size=1), st.just(["7512345678"])),
)
def test_the_ranking_total_is_the_explained_total(
    name_score: float,
    dates: tuple[str | None, str | None],
    countries: tuple[list[str], list[str]],
    sexes: tuple[str | None, str | None],
    documents: tuple[list[str], list[str]],
) -> None:
    traveller = Traveller(["Aleksandr Ivanov"], dates[0], countries[0], sexes[0], documents[0])
    entry = EntryFacts(
        1, "S-1", "mixed", "suspect", ["Ivanov"], dates[1], countries[1], sexes[1], documents[1], None, "H0"
    )
    terms = person_terms(
        traveller, entry, name_score, "'Aleksandr Ivanov' vs 'Ivanov'", default_screening_config().person_score
    )
    score = explained(terms)
    assert person_total(terms) == score.total
    assert [f.id for f in score.features][:3] == ["name", "birth_date", "birth_date_conflict"]
    assert all(f.contribution == f.value * f.weight and f.detail for f in score.features)
