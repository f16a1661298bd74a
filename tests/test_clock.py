"""The virtual clock."""

from __future__ import annotations

import time

import pytest

from mock_server.clock import VirtualClock, iso
from mock_server.config import MANUAL_CLOCK_START


def test_manual_clock_stands_still_until_advanced():
    clock = VirtualClock("manual", MANUAL_CLOCK_START)
    first = clock.now()
    time.sleep(0.01)
    assert clock.now() == first
    assert clock.advance(90) == first + 90
    assert clock.snapshot()["now"] == "2024-03-15T09:01:30Z"


def test_real_clock_follows_wall_time_plus_advances():
    clock = VirtualClock("real", MANUAL_CLOCK_START)
    assert abs(clock.now() - time.time()) < 1
    clock.advance(3600)
    assert 3599 < clock.now() - time.time() < 3601


def test_clock_never_goes_back():
    with pytest.raises(ValueError):
        VirtualClock("manual", MANUAL_CLOCK_START).advance(-1)


def test_iso_is_to_the_second_with_z():
    assert iso(1710493354.9) == "2024-03-15T09:02:34Z" and iso(None) is None
