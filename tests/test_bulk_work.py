"""The collector's thresholds during bulk jobs (palermo.bulk_work)."""

import gc
import threading

from palermo.bulk_work import YOUNG, fewer_collections


def test_thresholds_are_raised_for_a_job_and_restored_after_it_even_on_error() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] >= YOUNG
    assert gc.get_threshold() == before
    try:
        with fewer_collections():
            raise ValueError("a load that fails")
    except ValueError:
        pass
    assert gc.get_threshold() == before


def test_overlapping_jobs_in_threads_restore_the_thresholds_when_the_last_ends() -> None:
    before = gc.get_threshold()
    first_in, first_may_end = threading.Event(), threading.Event()

    def first() -> None:
        with fewer_collections():
            first_in.set()
            first_may_end.wait(5)

    thread = threading.Thread(target=first)
    thread.start()
    assert first_in.wait(5)
    with fewer_collections():
        first_may_end.set()
        thread.join(5)
        assert gc.get_threshold()[0] >= YOUNG  # the first job ended, this one still runs
    assert gc.get_threshold() == before
