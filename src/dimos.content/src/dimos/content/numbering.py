"""Number books: sequential numbers per year that are never given twice.

A ``NumberBook`` is a persistent object kept in the annotations of whatever
numbers things (a council body numbers its decisions and sessions, the site
numbers protocol entries and permits). Each year has a ``Counter`` and a map
number -> UID of the record holding it.

Concurrency: the counter is a plain persistent object with no conflict
resolution, so two transactions that take a number at the same time conflict
on it; ZODB aborts one and Zope retries its request, which then takes the next
number. A number is only spent when the transaction that took it commits, so
the sequence has no gaps and no duplicates. The number -> UID map is an
``IOBTree``: two transactions claiming the same explicit number are an
insert conflict there as well. Numbers are never released: deleting a record
leaves its number spent.

No Zope or Plone imports: this runs on a bare ZODB.
"""

from BTrees.IOBTree import IOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent


class NumberTaken(ValueError):
    """The number is held by another record."""

    def __init__(self, year, number, holder):
        super().__init__(f"{number}/{year} is taken")
        self.year = year
        self.number = number
        self.holder = holder


class Counter(Persistent):
    """The last number given in one year. Deliberately without _p_resolveConflict."""

    def __init__(self):
        self.value = 0


class NumberBook(Persistent):
    def __init__(self):
        self.counters = OOBTree()  # year -> Counter
        self.holders = OOBTree()  # year -> IOBTree(number -> uid)

    def _year(self, year):
        if year not in self.counters:
            self.counters[year] = Counter()
            self.holders[year] = IOBTree()
        return self.counters[year], self.holders[year]

    def take_next(self, year, uid):
        """Give ``uid`` the next number of ``year`` and return it."""
        counter, holders = self._year(year)
        number = counter.value + 1
        while number in holders:  # explicit numbers claimed ahead of the counter
            number += 1
        counter.value = number
        holders[number] = uid
        return number

    def claim(self, year, number, uid):
        """Record that ``uid`` holds an explicit ``number`` (historical records, imports).

        Claiming again for the same holder is a no-op; a number held by another
        record raises NumberTaken.
        """
        if number < 1:
            raise ValueError("numbers start at 1")
        counter, holders = self._year(year)
        holder = holders.get(number)
        if holder is not None and holder != uid:
            raise NumberTaken(year, number, holder)
        if holder is None:
            holders[number] = uid
        return number

    def holder(self, year, number):
        holders = self.holders.get(year)
        return None if holders is None else holders.get(number)

    def is_free(self, year, number, uid=None):
        holder = self.holder(year, number)
        return holder is None or holder == uid

    def last(self, year):
        counter = self.counters.get(year)
        return 0 if counter is None else counter.value

    def numbers(self, year):
        """(number, uid) pairs of one year, in order."""
        return list(self.holders.get(year, IOBTree()).items())


class UniqueKeys(Persistent):
    """A set of unique string keys (e.g. ΑΔΑ) mapped to the UID holding each."""

    def __init__(self):
        self.keys = OOBTree()

    def claim(self, key, uid):
        holder = self.keys.get(key)
        if holder is not None and holder != uid:
            raise NumberTaken(None, key, holder)
        if holder is None:
            self.keys[key] = uid

    def release(self, key, uid):
        if self.keys.get(key) == uid:
            del self.keys[key]

    def holder(self, key):
        return self.keys.get(key)
