"""Password hashing runs beside the booths without taking their cores: bounded, at background priority."""

from __future__ import annotations

import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from palermo.auth import passwords


def _niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="threads have their own priority on Linux")
def test_hashes_run_at_a_lower_priority_than_the_requests() -> None:
    mine = _niceness()
    assert passwords.in_background(_niceness) == min(19, mine + passwords.BACKGROUND_NICENESS)
    assert _niceness() == mine  # the caller's own priority is untouched


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
