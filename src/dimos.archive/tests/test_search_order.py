"""Date order of the matches: the same pages whether the date index is walked or the matches sorted.

``by_date`` walks the date index for a large result and sorts a small one; both
must give the same order (date, then record id; undated decisions last), page
by page. A real DateIndex, no site needed.
"""

from BTrees.IIBTree import IIBucket
from BTrees.IIBTree import IISet
from datetime import date
from datetime import timedelta
from dimos.archive.search import by_date
from dimos.archive.search import by_relevance
from Products.PluginIndexes.DateIndex.DateIndex import DateIndex
from types import SimpleNamespace

import pytest


def date_index(dates):
    """A DateIndex over record ids 1..n; ``None`` leaves a record out (undated)."""
    index = DateIndex("decision_date")
    for rid, day in enumerate(dates, start=1):
        if day is not None:
            index.index_object(rid, SimpleNamespace(decision_date=day))
    return index


# 40 records: some share a date, every seventh has none
DATES = [
    None if rid % 7 == 0 else date(1990, 1, 1) + timedelta(days=(rid * 37) % 23)
    for rid in range(1, 41)
]
INDEX = date_index(DATES)


def expected(rids, reverse):
    dated = sorted(
        ((DATES[rid - 1], rid) for rid in rids if DATES[rid - 1] is not None), reverse=reverse
    )
    return [rid for _, rid in dated] + sorted(rid for rid in rids if DATES[rid - 1] is None)


@pytest.mark.parametrize("reverse", [True, False])
@pytest.mark.parametrize("rids", [range(1, 41), range(1, 41, 3), range(5, 9)])
def test_every_page_in_date_order_undated_last(rids, reverse):
    rids = IISet(rids)
    whole = expected(rids, reverse)
    for size in (1, 3, 10, 50):
        for start in range(0, len(rids) + size, size):
            assert by_date(rids, INDEX, reverse, start, start + size) == whole[start : start + size]


def test_records_the_index_does_not_have_come_last():
    rids = IISet([3, 41, 42])  # 41 and 42 were never indexed
    assert by_date(rids, INDEX, True, 0, 10) == [3, 41, 42]


def test_relevance_is_the_highest_score_first():
    scores = IIBucket({1: 5, 2: 30, 3: 10, 4: 30, 5: 1})
    rids = IISet([1, 2, 3, 4])  # 5 is not a match (not public, say)
    assert by_relevance(rids, scores, 0, 10) == [4, 2, 3, 1]
    assert by_relevance(rids, scores, 1, 3) == [2, 3]
