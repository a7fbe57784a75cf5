"""Date normalisation against the publication date, and number parsing."""

from datetime import date

import pytest

from storydiff.analyze.dates import normalise_published, normalize_date, normalize_zh, parse_anchor
from storydiff.analyze.numbers import chinese_numbers, parse_number

ANCHOR = date(2025, 11, 29)  # a Saturday


@pytest.mark.parametrize(
    "expr,value",
    [
        ("November 21", "2025-11-21"),
        ("Nov. 21, 2024", "2024-11-21"),
        ("21 November", "2025-11-21"),
        ("January 3", "2026-01-03"),
        ("last week", "2025-W47"),
        ("this week", "2025-W48"),
        ("yesterday", "2025-11-28"),
        ("today", "2025-11-29"),
        ("Tuesday", "2025-11-25"),
        ("last month", "2025-10"),
        ("last year", "2024"),
        ("two years ago", "2023"),
        ("September", "2025-09"),
        ("March 2019", "2019-03"),
        ("1998", "1998"),
        ("the 1990s", "199"),
        ("three years", "P3Y"),
        ("14 years", "P14Y"),
        ("the first quarter", "2025-Q1"),
        ("now", "PRESENT_REF"),
        ("the evening of November 20", "2025-11-20TEV"),
        ("2025-11-20", "2025-11-20"),
        ("last April", "2025-04"),
        ("last December", "2024-12"),
        ("earlier this month", "2025-11"),
        ("last year's", "2024"),
        ("Friday, Nov. 21", "2025-11-21"),
        ("mid-November", "2025-11"),
        ("the end of 1990", "1990"),
        ("July last year", "2024-07"),
        ("6 a.m.", "2025-11-29T06:00"),
        ("10 p.m. Wednesday", "2025-11-26T22:00"),
        ("last night", "2025-11-28TNI"),
        ("this year's third quarter", "2025-Q3"),
        ("the fiscal first quarter", "2025-Q1"),
        ("the weekend", "2025-W48-WE"),
        ("year-end", "2025"),
        ("the end of the month", "2025-11"),
        ("later that year", None),
        ("13 a.m.", None),
    ],
)
def test_normalize_date(expr, value):
    assert normalize_date(expr, ANCHOR) == value


def test_normalize_without_anchor_keeps_unknown_year():
    assert normalize_date("November 21", None) == "XXXX-11-21"
    assert normalize_date("last week", None) is None


@pytest.mark.parametrize(
    "expr,value",
    [("11月20日", "2025-11-20"), ("2024年3月14日", "2024-03-14"), ("11月20日晚上", "2025-11-20TEV"), ("上周", "2025-W47"), ("去年", "2024")],
)
def test_normalize_chinese(expr, value):
    assert normalize_zh(expr, ANCHOR) == value


@pytest.mark.parametrize(
    "expr,value,unit",
    [
        ("$1.95 billion", 1.95e9, "USD"),
        ("($1.95 billion)", 1.95e9, "USD"),
        ("30%", 30.0, "%"),
        ("7,500", 7500.0, None),
        ("three", 3.0, None),
        ("twenty-five", 25.0, None),
        ("about 12 percent", 12.0, "%"),
        ("€40 million", 4e7, "EUR"),
    ],
)
def test_parse_number(expr, value, unit):
    assert parse_number(expr) == (value, unit)


def test_chinese_numbers_with_units():
    found = {(n.span.text, n.value, n.unit) for n in chinese_numbers("共有7500个难民名额，涉及19.5亿美元，增长30%。")}
    assert ("7500个", 7500.0, "个") in found
    assert ("19.5亿美元", 1.95e9, "USD") in found
    assert ("30%", 30.0, "%") in found


def test_numbers_in_languages_that_write_a_decimal_comma():
    from storydiff.analyze.numbers import pattern_numbers

    text = "Un sisma di magnitudo 6,8 ha fatto 2.700 morti; i prezzi sono saliti del 12,5%."
    found = [(n.span.text, n.value, n.unit) for n in pattern_numbers(text, "it")]
    assert found == [("6,8", 6.8, None), ("2.700", 2700.0, None), ("12,5%", 12.5, "%")]
    assert all(text[n.span.start : n.span.end] == n.span.text for n in pattern_numbers(text, "it"))
    fr = [(n.span.text, n.value) for n in pattern_numbers("un séisme de 7,2 a fait 2\u00a0700 morts", "fr")]
    assert fr == [("7,2", 7.2), ("2\u00a0700", 2700.0)]
    scaled = [(n.span.text, n.value) for n in pattern_numbers("un buco di 2,5 miliardi e 3 millions", "it")]
    assert scaled == [("2,5 miliardi", 2.5e9), ("3 millions", 3e6)]
    assert [n.value for n in pattern_numbers("nel 2008 mio padre", "it")] == [2008.0]  # "mio" is "my"
    # a language that writes a decimal point, or an unknown one, reads them the English way
    assert [n.value for n in pattern_numbers("2,700 dead after a 6.8 quake", None)] == [2700.0, 6.8]


def test_numbers_carry_counted_noun(analyze_text):
    art = analyze_text("Many of the current 7,500 refugee slots are reserved.", language="en")
    n = [n for n in art.numbers if n.value == 7500][0]
    assert n.unit == "refugee slots"
    assert art.text[n.span.start : n.span.end] == "7,500 refugee slots"


@pytest.mark.parametrize(
    "expr,tense,value",
    [
        ("Tuesday", None, "2025-11-25"),
        ("Tuesday", "future", "2025-12-02"),
        ("December 2", "past", "2025-12-02"),  # a few days ahead: a past-tense clause may still name it
        ("March 2", "past", "2025-03-02"),
        ("February 2", "future", "2026-02-02"),
        ("February", None, "2026-02"),  # the nearest February
        ("June", None, "2025-06"),
        ("December", "past", "2024-12"),
        ("the summer", None, "2025-SU"),
        ("the winter of 1994", None, "1994-WI"),
        ("nineteen ninety-six", None, "1996"),
        ("the year two thousand", None, "2000"),
        ("the nineties", None, "199"),
        ("fourth-quarter", None, "2025-Q4"),
        ("the 1988 third quarter", None, "1988-Q3"),
        ("an Aug. 10, 1988", None, "1988-08-10"),
        ("the third quarter ended Sept. 30", None, "2025-Q3"),
        ("as early as next year's first quarter", None, "2026-Q1"),
    ],
)
def test_normalize_date_with_tense_and_wide_mentions(expr, tense, value):
    assert normalize_date(expr, ANCHOR, tense) == value


def test_find_dates_tense_year_earlier_quarter_and_adjacent_parts(analyze_text):
    text = (
        "Profit in the third quarter rose 5% from a year earlier.\n"
        "Sales were $4.2 billion, against $3.9 billion a year ago.\n"
        "The board will meet on Tuesday. Officials met Friday morning."
    )
    art = analyze_text(text, language="en", published="2025-11-05")  # a Wednesday
    values = {d.span.text: d.value for d in art.dates}
    assert values["the third quarter"] == "2025-Q3"
    assert values["a year earlier"] == "2024-Q3"
    assert values["a year ago"] == "2024-Q3"  # the quarter of the report, named just before
    assert values["Tuesday"] == "2025-11-11"
    assert values["Friday morning"] == "2025-10-31TMO"


def test_spelled_numbers_that_are_not_years():
    assert normalize_date("twenty one days ago", ANCHOR) == "2025-11-08"


@pytest.mark.parametrize(
    "expr,anchor,value",
    [
        ("Tuesday", None, None),  # not a duration of "tues" days
        ("midday", None, None),
        ("two-year", None, "P2Y"),
        ("16-hour", None, "PT16H"),
        ("noon Saturday", ANCHOR, "2025-11-29T12:00"),
        ("midday", ANCHOR, "2025-11-29T12:00"),
    ],
)
def test_durations_need_a_whole_unit_word(expr, anchor, value):
    assert normalize_date(expr, anchor) == value


@pytest.mark.parametrize(
    "expr,value",
    [
        ("the coming months", "FUTURE_REF"),
        ("a later date", "FUTURE_REF"),
        ("recent years", "PAST_REF"),
        ("the 20th century", "19"),
        ("the second half of 2024", "2024-H2"),
        ("the first half", "2025-H1"),
        ("the first two quarters of 1990", "1990-H1"),
        ("the current fiscal year", "2025"),
        ("earlier in the year", "2025"),
        ("a week or so ago", normalize_date("a week ago", ANCHOR)),
        ("4 in the morning", "2025-11-29T04:00"),
        ("8 in the evening", "2025-11-29T20:00"),
        ("mid-afternoon", "2025-11-29TAF"),
    ],
)
def test_reference_words_halves_and_parts_of_day(expr, value):
    assert normalize_date(expr, ANCHOR) == value


def test_find_dates_that_year_and_deadlines(analyze_text):
    text = (
        "The plant opened in March 2019. Later that year it closed.\n"
        "The agency gave the family until Tuesday to sign. Officials have scheduled a hearing Thursday."
    )
    art = analyze_text(text, language="en", published="2025-11-05")  # a Wednesday
    values = {d.span.text: d.value for d in art.dates}
    that_year = [v for k, v in values.items() if "that year" in k]
    assert that_year == ["2019"]
    assert values["Tuesday"] == "2025-11-11"  # a deadline lies ahead
    assert values["Thursday"] == "2025-11-06"  # scheduled: the coming one


@pytest.mark.parametrize("published,day,iso", [
    ("2026-03-08T09:30:00Z", date(2026, 3, 8), "2026-03-08T09:30:00Z"),
    ("Sun, 08 Mar 2026 09:30:00 GMT", date(2026, 3, 8), "2026-03-08T09:30:00+00:00"),
    ("8 Mar 2026 23:30:00 -0500", date(2026, 3, 8), "2026-03-08T23:30:00-05:00"),
    ("March 8, 2026", date(2026, 3, 8), "2026-03-08"),
    ("Posted: Mar. 8, 2026 7:40 PM ET", date(2026, 3, 8), "2026-03-08"),
    ("2026年3月8日", date(2026, 3, 8), "2026-03-08"),
    ("2026年13月8日", None, "2026年13月8日"),
    ("Sun, 31 Feb 2026 09:30:00 GMT", None, "Sun, 31 Feb 2026 09:30:00 GMT"),
    ("last week", None, "last week"),
])
def test_publication_dates_in_feed_written_and_chinese_forms(published, day, iso):
    assert parse_anchor(published) == day
    assert normalise_published(published) == iso
