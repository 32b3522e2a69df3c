"""The candidate index finds variants of listed names, caps common tokens, updates, and survives save/load."""

from pathlib import Path

import pytest

from palermo.errors import InvalidInput, NotFound
from palermo.logs import configure
from palermo.screening.candidate_index import (
    CandidateIndex,
    IndexConfig,
    IndexEntry,
    default_index_config,
    load_index,
    save_index,
)

LISTED = [
    IndexEntry(1, ["Олена Шевченко", "Olena Shevchenko"], 1980, ["AB 123456"]),
    IndexEntry(2, ["Vladimir Vladimirovich Putin"], 1952),
    IndexEntry(3, ["محمد بن سلمان"], 1985),
    IndexEntry(4, ["William Henry Gates"], 1955),
    IndexEntry(5, ["Αλέξανδρος Παπαδόπουλος"]),
    IndexEntry(6, ["习近平"]),
    IndexEntry(7, ["양영호"]),
    IndexEntry(10, ["LEE MIN HO"]),
    IndexEntry(11, ["冷桂华"]),
    IndexEntry(8, ["Maria Gonzalez Rodriguez"], 1990, ["X-99"]),
    IndexEntry(9, ["Friedrich Lindenberg"], 1977),
]
FILLER = [IndexEntry(100 + i, [f"Mohammed {surname}"]) for i, surname in enumerate(["Ali", "Khan", "Hassan"] * 40)]


@pytest.fixture(scope="module")
def index() -> CandidateIndex:
    return CandidateIndex.build(LISTED + FILLER)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Olena Shevcenko", 1),  # typo, Latin
        ("SHEVCHENKO, Olena", 1),  # swapped order
        ("Шевченко Олена", 1),  # native script, swapped
        ("Владимир Путин", 2),  # transliterated, middle name dropped
        ("Vladimir Putn", 2),  # typo
        ("VladimirPutin", 2),  # letters run together
        ("Mohammed bin Salman", 3),  # Arabic script stored
        ("Bill Gates", 4),  # nickname
        ("W. H. Gates", 4),  # initials
        ("Alexandros Papadopoulos", 5),  # Greek stored
        ("Xi Jinping", 6),  # Han stored
        ("Yang Yeongho", 7),  # Hangul written as one token
        ("Yang Young-ho", 7),  # ... in a passport's spelling
        ("양영호", 7),  # ... and in Hangul
        ("이민호", 10),  # a Latin listing found by the Hangul name: surname 이 spelled Lee
        ("Rhee Minho", 10),  # another spelling of 이, the given name's syllables written as one
        ("Leng Gui Hua", 11),  # Pinyin writes the given name as one word: guihua
        ("Maria Rodriguez", 8),  # dropped second surname
        ("FridrichLindenberg", 9),  # letters run together, with a typo in one part
        ("LindenbergFridrich", 9),  # ... and in the other order
    ],
)
def test_variants_are_retrieved(index: CandidateIndex, query: str, expected: int) -> None:
    assert expected in index.candidates([query])
    assert index.search([query])[0].entry_id == expected


def test_common_tokens_do_not_flood_the_candidates() -> None:
    config = default_index_config().model_copy(update={"max_postings": 10, "top_k": 5})
    small = CandidateIndex.build(LISTED + FILLER, config)
    found = small.candidates(["Mohammed Hassan"])
    assert len(found) <= 5
    assert {small.search(["Mohammed Hassan"])[0].entry_name} == {"Mohammed Hassan"}
    assert small.candidates(["Mohammed bin Salman"])[0] == 3


def test_document_number_hits_rank_first(index: CandidateIndex) -> None:
    assert index.candidates(["Someone Else"], document_numbers=["ab123456"])[0] == 1


def test_birth_year_breaks_ties() -> None:
    twins = CandidateIndex.build([IndexEntry(1, ["Anna Berg"], 1970), IndexEntry(2, ["Anna Berg"], 1990)])
    assert twins.candidates(["Anna Berg"], birth_year=1990)[0] == 2
    assert twins.candidates(["Anna Berg"], birth_year=1970)[0] == 1


def test_add_and_remove() -> None:
    index = CandidateIndex.build(LISTED)
    index.add(IndexEntry(50, ["Ivan Petrenko"], None, ["ZZ1"]))
    assert index.candidates(["Иван Петренко"])[0] == 50
    index.remove(50)
    assert 50 not in index.candidates(["Ivan Petrenko"], document_numbers=["ZZ1"])
    assert len(index) == len(LISTED)
    index.add(IndexEntry(50, ["Ivan Petrenko"]))
    assert index.candidates(["Ivan Petrenko"])[0] == 50


def test_an_entry_added_after_a_search_is_found_by_the_same_name_parts() -> None:
    """Query tokens' postings are remembered between searches; adding an entry must not leave them stale."""
    index = CandidateIndex.build(LISTED)
    assert 60 not in index.candidates(["Liu Yang"])
    index.add(IndexEntry(60, ["Liu Yang"]))
    assert index.candidates(["Liu Yang"])[0] == 60
    index.add(IndexEntry(61, ["刘洋"]))
    assert set(index.candidates(["Liu Yang"])[:2]) == {60, 61}
    index.remove(60)
    assert index.candidates(["Liu Yang"])[0] == 61


def test_remembered_postings_give_the_same_candidates_and_scores() -> None:
    """The second search of a name, answered from remembered postings, equals the first and a fresh index's."""
    entries = [*LISTED, *FILLER]
    queries = ["Mohammed Khan", "Olena Shevchenko", "Maria Gonzales", "Putin Vladimir", "习近平", "W. Gates"]
    remembering = CandidateIndex.build(entries)
    first = [remembering.search([q]) for q in queries]
    again = [remembering.search([q]) for q in queries]
    fresh = [CandidateIndex.build(entries).search([q]) for q in queries]
    assert first == again == fresh


def test_a_listed_han_name_ranks_first_among_names_sharing_its_given_name() -> None:
    """The letters run together (``dulong``) are another reading of the query, not more evidence: added to the
    token-by-token weight, they counted ``long`` twice and ranked ``杨龙``, ``陈龙`` ... above the listed ``杜龙``
    (at 100k entries it fell out of the top 50)."""
    surnames = "杨陈王李张刘黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余"
    givens = ["龙", "玉龙", "海龙", "小龙", "金龙", "云龙", "天龙", "志龙", "德龙", "文龙"]
    entries = [IndexEntry(1, ["杜龙"])]
    entries += [IndexEntry(2 + i, [s + g]) for i, (s, g) in enumerate((s, g) for s in surnames for g in givens)]
    entries += [IndexEntry(1000 + i, ["杜" + "梅兰芳华丽"[i % 5] + "明强伟军平"[i // 8 % 5]]) for i in range(40)]
    index = CandidateIndex.build(entries)
    assert index.candidates(["杜龙"])[0] == 1
    assert index.candidates(["Du Long"])[0] == 1


def test_a_name_in_chinese_characters_ranks_first_for_those_characters_among_names_reading_alike() -> None:
    """Eighty people listed as ``Chen Kun`` in Latin letters read exactly as ``陈坤``: as equal evidence, the tie went
    to the lowest entry ids and the listed ``陈坤`` (a later entry) fell out of the top 50 for the query ``陈坤``."""
    entries = [IndexEntry(i, ["Chen Kun"]) for i in range(1, 80)] + [IndexEntry(1000, ["陈坤"])]
    index = CandidateIndex.build(entries)
    assert index.candidates(["陈坤"])[0] == 1000
    assert 1000 in index.candidates(["Chen Kun"], k=100)  # the reading still finds it


def test_a_common_name_part_gains_nothing_from_rare_parts_it_meets_by_weak_evidence() -> None:
    """``kun`` and ``chen`` are common parts (60 listed ``X Kun``, 60 ``Chen X``), and ``kun`` meets the rare Hebrew
    ``כינו``, ``כוני`` ... by their consonant skeleton ``kn`` only: weighted by those parts' own rarity, the Hebrew
    names outranked the listed ``陈坤``."""
    hebrew = ["כינו", "כוני", "כנאי", "כיאן", "כון", "כאן"]
    entries = [IndexEntry(1000, ["陈坤"])]
    entries += [IndexEntry(i, [f"{given} Kun"]) for i, given in enumerate(_GIVEN * 6, start=1)]
    entries += [IndexEntry(100 + i, [f"Chen {given}"]) for i, given in enumerate(_GIVEN * 6)]
    entries += [
        IndexEntry(2000 + i, [f"{word} {other}"])
        for i, (word, other) in enumerate(
            (w, o) for w in hebrew for o in ("לוי", "כהן", "מזרחי", "פרץ", "ביטון", "דהן", "אברהם", "פרידמן")
        )
    ]
    index = CandidateIndex.build(entries)
    assert index.candidates(["陈坤"], k=10)[0] == 1000


def test_letters_run_together_say_no_more_than_the_parts_they_join() -> None:
    """The joined reading ``yubin`` of ``余彬`` met the rare ``yudin`` (0.8) and, weighted by its rarity, put forty
    ``Юдин`` ahead of the listed ``余彬``, whose own parts ``yu`` and ``bin`` are common."""
    entries = [IndexEntry(1000, ["余彬"])]
    entries += [IndexEntry(i, [f"{given} Bin"]) for i, given in enumerate(_GIVEN * 6, start=1)]
    entries += [IndexEntry(100 + i, [f"Yu {given}"]) for i, given in enumerate(_GIVEN * 6)]
    entries += [
        IndexEntry(2000 + i, [f"{given} Юдин"]) for i, given in enumerate(["Аверьян", "Всемил", "Орест", "Авдей"])
    ]
    index = CandidateIndex.build(entries)
    assert index.candidates(["余彬"], k=3)[0] == 1000


@pytest.mark.parametrize(
    ("listed", "query"),
    [
        ("Vasily Zaytsev", "Wassili Saizew"),  # German
        ("Yuri Shevchuk", "Iouri Chevtchouk"),  # French
        ("Vasily Chernovsky", "Wasyl Czernowski"),  # Polish
    ],
)
def test_a_name_in_another_countrys_spelling_convention_is_retrieved(listed: str, query: str) -> None:
    """The surname is the only rare part and neither its letters nor its sound code are near the listed one's: only
    the conventions' readings (``saizew`` and ``zaytsev`` both read ``tsaitsev``) find the entry among namesakes."""
    given = listed.split()[0]
    entries = [IndexEntry(1000, [listed])]
    entries += [IndexEntry(i, [f"{given} {surname}"]) for i, surname in enumerate(_SURNAMES * 8)]
    index = CandidateIndex.build(entries)
    assert 1000 in index.candidates([query], k=10)


_SURNAMES = ["Ivanov", "Petrov", "Sidorov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Lebedev", "Kozlov", "Novikov"]
_GIVEN = ["Wei", "Li", "Ming", "Hua", "Jun", "Lei", "Tao", "Qiang", "Yan", "Fang"]


def test_add_twice_and_remove_unknown_raise() -> None:
    index = CandidateIndex.build(LISTED)
    with pytest.raises(InvalidInput, match="already"):
        index.add(LISTED[0])
    with pytest.raises(InvalidInput, match="not in"):
        index.remove(999)


def test_names_without_letters_are_skipped() -> None:
    configure()  # CLI tests leave structlog bound to a closed stderr; the warning below must be writable
    index = CandidateIndex.build([IndexEntry(1, ["---", "Anna Berg"])])
    assert index.candidates(["Anna Berg"]) == [1]


QUERIES = ["Olena Shevcenko", "Vladimir Putin", "Bill Gates", "Mohammed Ali", "Xi Jinping", "Maria Gonzales"]


def test_save_load_round_trip_gives_the_same_results(tmp_path: Path) -> None:
    index = CandidateIndex.build(LISTED + FILLER)
    index.remove(2)
    index.add(IndexEntry(60, ["Petro Shevchenko"]))
    before = [(index.candidates([q]), index.search([q])) for q in QUERIES]
    save_index(index, tmp_path / "index")
    loaded = load_index(tmp_path / "index")
    assert [(loaded.candidates([q]), loaded.search([q])) for q in QUERIES] == before
    assert len(loaded) == len(index)
    assert loaded.candidates(["x"], document_numbers=["AB123456"])[0] == 1
    loaded.add(IndexEntry(61, ["Ivan Petrenko"]))
    assert loaded.candidates(["Ivan Petrenko"])[0] == 61


def test_load_without_index_raises(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no candidate index"):
        load_index(tmp_path)


def test_index_config_is_declared() -> None:
    assert isinstance(default_index_config(), IndexConfig)
    assert default_index_config().top_k >= 1


def test_entries_removed_and_added_again_across_a_save_keep_exactly_their_own_rows(tmp_path: Path) -> None:
    """Each entry's rows are found by range, not by scanning every row: removals, re-adds and a save/load in
    between must leave every entry with exactly its live rows (what scoring and `contains` rely on)."""
    index = CandidateIndex.build(LISTED + FILLER)
    index.remove(4)
    index.add(IndexEntry(4, ["Bill Gates", "William Gates"], 1955))
    index.remove(100)
    save_index(index, tmp_path / "index")
    loaded = load_index(tmp_path / "index")
    loaded.remove(1)
    loaded.add(IndexEntry(1, ["Olena Shevchenko"], 1980))
    loaded.add(IndexEntry(70, ["Anna Berg"]))
    loaded.remove(70)
    for candidate in (index, loaded):
        entries = candidate.row_entry.view()
        alive = candidate.row_alive.view()
        for entry_id in {int(e) for e in entries} | {999}:
            scanned = [int(r) for r in range(len(entries)) if entries[r] == entry_id and alive[r]]
            assert candidate._rows_of(entry_id).tolist() == scanned, entry_id
            assert candidate.contains(entry_id) == bool(scanned)
    assert {n.original for n in loaded.entry_names(4)} == {"Bill Gates", "William Gates"}
    assert not loaded.contains(100)
    assert not loaded.contains(70)
    assert loaded.search(["Olena Shevchenko"])[0].entry_id == 1
