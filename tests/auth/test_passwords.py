"""Password hashing runs beside the booths without taking all their cores: at most two hashes at once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from palermo.auth import passwords


def test_at_most_two_hashes_run_at_once_and_each_caller_gets_its_own_answer() -> None:
    running, most = 0, 0
    lock = threading.Lock()

    def work(n: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02)
        with lock:
            running -= 1
        return n

    with ThreadPoolExecutor(8) as callers:
        answers = list(callers.map(lambda n: passwords.in_background(lambda: work(n)), range(16)))
    assert answers == list(range(16))
    assert most == passwords.HASHES_AT_ONCE


def test_a_hash_made_in_the_background_verifies_and_a_wrong_password_does_not() -> None:
    stored = passwords.hash_password("correct horse battery staple")
    assert passwords.verify_password(stored, "correct horse battery staple")
    assert not passwords.verify_password(stored, "correct horse battery stapler")
    assert not passwords.verify_password(None, "correct horse battery staple")


def test_an_error_in_the_background_reaches_the_caller() -> None:
    def fails() -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        passwords.in_background(fails)
