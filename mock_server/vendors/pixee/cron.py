"""Counting a cron schedule's runs between two instants by arithmetic, not by stepping through them.

A clock advanced by a year past a per-minute automation misses 525,600 runs; stepping croniter through them
took 42 s. Runs fall on whole minutes of matching days, so the count is (matching days) × (runs a day) plus the
two partial days at the ends; matching days repeat with the 400-year Gregorian cycle (146,097 days, a whole
number of weeks), so a long span costs one cycle's count at most (DECISIONS.md ENG-D04).
"""

from __future__ import annotations

import bisect
import functools
import math
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from croniter import croniter

CYCLE_DAYS = 146_097  # 400 Gregorian years: dates and weekdays repeat exactly
_EPOCH = date(1970, 1, 1).toordinal()
_DAY = 1440  # minutes


@functools.lru_cache(maxsize=256)
def _fields(schedule: str) -> tuple[tuple[int, ...], tuple[int, ...], Callable[[date], bool]]:
    """The schedule's minutes, hours, and whether a day matches (croniter's rules: when both day-of-month and
    day-of-week are restricted, either one matching is enough)."""
    cron = croniter(schedule)
    minutes, hours, doms, months, dows = cron.expanded

    def every(values: list[int | str], top: int) -> tuple[int, ...]:  # croniter's expanded field: ["*"] or numbers
        return tuple(range(top)) if values == ["*"] else tuple(sorted({int(v) for v in values}))

    plain = not cron.nth_weekday_of_month and all(v == "*" or isinstance(v, int) for v in doms + dows + months)
    plain = plain and "w" not in schedule.split()[2].lower()
    if not plain:  # L, W, 5#2 …: croniter decides each day (slower, still one check a day)
        first = (every(minutes, 60)[0], every(hours, 24)[0])

        def matches(day: date) -> bool:
            at = datetime(day.year, day.month, day.day, first[1], first[0], tzinfo=UTC)
            return bool(croniter.match(schedule, at))
    else:
        month_set = set(range(1, 13)) if months == ["*"] else set(months)
        dom_set = None if doms == ["*"] else set(doms)
        dow_set = None if dows == ["*"] else {d % 7 for d in dows}

        def matches(day: date) -> bool:
            if day.month not in month_set:
                return False
            by_dom = dom_set is None or day.day in dom_set
            by_dow = dow_set is None or (day.weekday() + 1) % 7 in dow_set
            if dom_set is not None and dow_set is not None:
                return by_dom or by_dow
            return by_dom and by_dow

    return every(minutes, 60), every(hours, 24), matches


def _runs_in_day(minutes: tuple[int, ...], hours: tuple[int, ...], lo: int, hi: int) -> int:
    """Runs of one matching day at minute-of-day `lo … hi` (inclusive)."""
    total = 0
    for hour in hours:
        base = hour * 60
        if base + 59 < lo or base > hi:
            continue
        total += bisect.bisect_right(minutes, hi - base) - bisect.bisect_left(minutes, lo - base)
    return total


def _matching_days(matches: Callable[[date], bool], first: int, last: int) -> int:
    """Matching days among epoch-day numbers `first … last` (inclusive)."""
    if last < first:
        return 0
    count, day = 0, date.fromordinal(_EPOCH + first)
    for _ in range(last - first + 1):
        count += matches(day)
        day += timedelta(days=1)
    return count


@functools.lru_cache(maxsize=64)
def _days_per_cycle(schedule: str) -> int:
    return _matching_days(_fields(schedule)[2], 0, CYCLE_DAYS - 1)


def runs_between(schedule: str, after: float, until: float) -> int:
    """How many times `schedule` fires at an instant t with `after` < t <= `until` (epoch seconds, UTC)."""
    first, last = math.floor(after / 60) + 1, math.floor(until / 60)  # minute numbers since the epoch
    if last < first:
        return 0
    minutes, hours, matches = _fields(schedule)
    first_day, last_day = first // _DAY, last // _DAY

    def day_runs(day: int, lo: int, hi: int) -> int:
        return _runs_in_day(minutes, hours, lo, hi) if matches(date.fromordinal(_EPOCH + day)) else 0

    if first_day == last_day:
        return day_runs(first_day, first % _DAY, last % _DAY)
    total = day_runs(first_day, first % _DAY, _DAY - 1) + day_runs(last_day, 0, last % _DAY)
    whole_first, whole_last = first_day + 1, last_day - 1
    cycles = max(0, whole_last - whole_first + 1) // CYCLE_DAYS
    days = cycles * _days_per_cycle(schedule) if cycles else 0
    days += _matching_days(matches, whole_first + cycles * CYCLE_DAYS, whole_last)
    return total + days * len(minutes) * len(hours)
