"""Number books on a bare ZODB: sequences, explicit numbers, concurrent takers."""

from dimos.content.commitlock import hold_until_commit
from dimos.content.numbering import NumberBook
from dimos.content.numbering import NumberTaken
from dimos.content.numbering import UniqueKeys
from ZODB import DB
from ZODB.MappingStorage import MappingStorage
from ZODB.POSException import ConflictError

import pytest
import threading
import time
import transaction


def test_numbers_follow_each_other_per_year():
    book = NumberBook()
    assert [book.take_next(2024, f"u{i}") for i in range(3)] == [1, 2, 3]
    assert book.take_next(2025, "x") == 1
    assert book.last(2024) == 3
    assert book.holder(2024, 2) == "u1"


def test_explicit_numbers_are_unique_and_skipped_by_the_counter():
    book = NumberBook()
    book.claim(1979, 45, "old")
    book.claim(1979, 45, "old")  # the same record saving again
    with pytest.raises(NumberTaken) as taken:
        book.claim(1979, 45, "other")
    assert taken.value.holder == "old"
    assert [book.take_next(1979, f"n{i}") for i in range(45)][-2:] == [44, 46]
    with pytest.raises(ValueError):
        book.claim(1979, 0, "zero")


def test_unique_keys():
    keys = UniqueKeys()
    keys.claim("6ΧΙΥΩΚ9-4ΑΟ", "a")
    with pytest.raises(NumberTaken):
        keys.claim("6ΧΙΥΩΚ9-4ΑΟ", "b")
    keys.release("6ΧΙΥΩΚ9-4ΑΟ", "b")  # not the holder: nothing happens
    assert keys.holder("6ΧΙΥΩΚ9-4ΑΟ") == "a"
    keys.release("6ΧΙΥΩΚ9-4ΑΟ", "a")
    keys.claim("6ΧΙΥΩΚ9-4ΑΟ", "b")


def race(db, use_lock, takers=4):
    """``takers`` threads each take a number, hold it a moment, and commit."""
    results, errors = [], []
    start = threading.Barrier(takers)

    def take(name):
        conn = db.open()
        try:
            start.wait()
            if use_lock:
                hold_until_commit("test-race", fresh=True)
            number = conn.root()["book"].take_next(2026, name)
            time.sleep(0.05)  # the rest of a request: indexing, rendering
            transaction.commit()
            results.append(number)
        except ConflictError:
            transaction.abort()
            errors.append(name)
        finally:
            conn.close()

    threads = [threading.Thread(target=take, args=(f"t{i}",)) for i in range(takers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(results), errors


@pytest.fixture
def db():
    database = DB(MappingStorage())
    with database.transaction() as conn:
        conn.root()["book"] = NumberBook()
    yield database
    database.close()


def test_concurrent_takers_conflict_so_no_number_is_given_twice(db):
    numbers, errors = race(db, use_lock=False)
    assert errors  # ZODB refused the later commits: Zope would retry those requests
    assert numbers == list(range(1, len(numbers) + 1))
    with db.transaction() as conn:
        assert conn.root()["book"].last(2026) == len(numbers)  # no gap left by the refused


def test_with_the_commit_lock_takers_queue_instead_of_conflicting(db):
    numbers, errors = race(db, use_lock=True)
    assert errors == []
    assert numbers == [1, 2, 3, 4]
