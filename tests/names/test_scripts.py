import pytest

from palermo.names import detect_script


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("John Smith", "Latn"),
        ("Nguyễn Tấn Dũng", "Latn"),
        ("Александр Иванов", "Cyrl"),
        ("Κυριάκος Μητσοτάκης", "Grek"),
        ("محمد بن سلمان", "Arab"),
        ("习近平", "Hani"),
        ("วชิราลงกรณ", "Thai"),
        ("김정은", "Hang"),
        ("בנימין נתניהו", "Hebr"),
        ("バラク・オバマ", "Kana"),
        ("नरेन्द्र मोदी", "Deva"),
        ("Иван Smith-Петров", "Cyrl"),
    ],
)
def test_detect_script(text: str, script: str) -> None:
    assert detect_script(text) == script


@pytest.mark.parametrize("text", ["", "123", " - . ", "٣٤"])
def test_no_letters_no_script(text: str) -> None:
    assert detect_script(text) is None
