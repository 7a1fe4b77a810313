"""The date axis's scale: ticks chosen from the span, few enough to read, and days placed
in the middle of their slot. Pure functions: no database."""

import datetime as dt

import pytest

from stances.axis import MAX_TICKS, make_axis

D = dt.date


def _axis(start, end, *, until=None, as_of=None):
    return make_axis(start, end, until=until or end, as_of=as_of)


def test_a_week_has_a_tick_per_day_labelled_with_the_day():
    axis = _axis(D(2025, 9, 1), D(2025, 9, 7))
    assert [t.day for t in axis.ticks] == [D(2025, 9, d) for d in range(2, 8)]
    assert axis.ticks[0].label == "2 Sep 2025" and axis.ticks[1].label == "3 Sep"
    assert axis.x(D(2025, 9, 1)) == pytest.approx(100 / 14, abs=0.001)
    assert axis.edge(D(2025, 9, 8)) == 100


def test_a_month_has_a_tick_per_week_on_mondays():
    axis = _axis(D(2025, 9, 1), D(2025, 9, 30))
    assert all(t.day.weekday() == 0 for t in axis.ticks)
    assert [t.label for t in axis.ticks] == ["8 Sep 2025", "15 Sep", "22 Sep", "29 Sep"]


def test_a_year_has_ticks_by_quarter_and_years_by_year():
    months = _axis(D(2025, 1, 10), D(2025, 6, 20))
    assert [t.label for t in months.ticks] == ["Feb 2025", "Mar", "Apr", "May", "Jun"]
    quarters = _axis(D(2024, 11, 1), D(2026, 2, 1))
    assert [t.label for t in quarters.ticks] == [
        "Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025", "Q1 2026"
    ]
    years = _axis(D(2014, 3, 1), D(2025, 9, 4))
    assert [t.label for t in years.ticks] == ["2016", "2018", "2020", "2022", "2024"]


@pytest.mark.parametrize("days", [1, 6, 7, 30, 31, 95, 366, 800, 3000, 40000])
def test_never_more_than_max_ticks_and_every_other_is_minor(days):
    start = D(1990, 5, 17)
    axis = _axis(start, start + dt.timedelta(days=days - 1))
    assert 1 <= len(axis.ticks) <= MAX_TICKS
    xs = [t.x for t in axis.ticks]
    assert xs == sorted(xs) and all(0 <= x <= 100 for x in xs)
    if len(axis.ticks) > 3:
        assert [t.minor for t in axis.ticks[:2]] == [False, True]


def test_one_day_widens_to_a_week_around_it():
    day = D(2025, 9, 4)
    axis = _axis(day, day)
    assert axis.start == D(2025, 9, 1) and axis.end == D(2025, 9, 7)
    assert axis.x(day) == 50
    assert axis.shows(day) and not axis.shows(D(2025, 9, 8))


def test_the_record_ends_at_present_or_at_the_as_of_day():
    present = _axis(D(2025, 1, 1), D(2025, 9, 4))
    assert present.end_label == "present" and present.end_x == 100
    assert present.end_anchor == "end"
    as_of = _axis(D(2025, 1, 1), D(2025, 6, 1), as_of=D(2025, 6, 1))
    assert as_of.end_label == "as of 1 Jun 2025"
    # A range that ends before the record does: no end drawn.
    zoomed = _axis(D(2025, 1, 1), D(2025, 3, 1), until=D(2025, 9, 4))
    assert zoomed.end_x is None


def test_spans_are_clipped_to_the_track():
    axis = _axis(D(2025, 3, 1), D(2025, 3, 10))
    assert axis.span(D(2025, 1, 1), D(2025, 3, 6)) == (0.0, 50.0)
    assert axis.span(D(2025, 3, 6), D(2025, 12, 1)) == (50.0, 50.0)
    assert axis.span(D(2025, 1, 1), D(2025, 2, 1)) is None
