"""The fast path (``score_prepared``) gives exactly the score of the explainable path (``compare_prepared``)."""

import pickle

from hypothesis import assume, given

from palermo.names import compare_prepared, prepare_name, score_prepared
from palermo.names.fast import clear_caches
from tests.factories import NAME_PROPERTY_SETTINGS, names, preparable

SAMPLES = [
    "Vladimir Vladimirovich Putin",
    "PUTIN, Vladimir",
    "Владимир Путин",
    "VladimirPutin",
    "Mohammed bin Salman",
    "محمد بن سلمان",
    "Muhammad ibn Salman Al Saud",
    "J. Smith",
    "John Smith",
    "Smith John",
    "Bill Gates",
    "William Henry Gates",
    "习近平",
    "Xi Jinping",
    "Olena Shevchenko",
    "Олена Шевченко",
    "Αλέξανδρος Παπαδόπουλος",
    "Alexandros Papadopoulos",
    "Nguyễn Văn Dũng",
    "Nguyen Dung",
]


def test_fast_score_equals_explained_score_on_every_sample_pair() -> None:
    prepared = [prepare_name(n) for n in SAMPLES]
    for a in prepared:
        for b in prepared:
            assert score_prepared(a, b) == compare_prepared(a, b).score, (a.original, b.original)


def test_cold_and_warm_cache_agree() -> None:
    a, b = prepare_name("Aleksandr Ivanov"), prepare_name("Alexander Iwanow")
    clear_caches()
    cold = score_prepared(a, b)
    assert score_prepared(a, b) == cold == compare_prepared(a, b).score


def test_unpickled_names_score_the_same() -> None:
    a, b = prepare_name("Olena Shevchenko"), prepare_name("Олена Шевченко")
    a2, b2 = pickle.loads(pickle.dumps((a, b)))
    assert a2.tokens[0].uid == a.tokens[0].uid
    assert score_prepared(a2, b2) == score_prepared(a, b)


def test_threshold_keeps_every_score_at_or_above_it() -> None:
    prepared = [prepare_name(n) for n in SAMPLES]
    for a in prepared:
        for b in prepared:
            exact = compare_prepared(a, b).score
            early = score_prepared(a, b, threshold=0.7)
            assert early == exact if exact >= 0.7 else early < 0.7


@NAME_PROPERTY_SETTINGS
@given(names(), names())
def test_fast_equals_explained_on_generated_names(x: str, y: str) -> None:
    assume(preparable(x) and preparable(y))
    a, b = prepare_name(x), prepare_name(y)
    exact = compare_prepared(a, b).score
    assert score_prepared(a, b) == exact
    for threshold in (0.3, 0.7, 0.9):
        early = score_prepared(a, b, threshold=threshold)
        assert early >= exact
        assert early == exact if exact >= threshold else early < threshold
