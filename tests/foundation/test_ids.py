"""Numbers typed or sent by users (ids, pages, postcodes, durations) are the digits 0-9 only."""

import pytest

from helpline.ids import MAX_ID, ascii_digits, parse_id, parse_number, parse_page


@pytest.mark.parametrize("text", ["²", "¹²", "٤٠٢٠", "４０２０", "1²", " ", "", "-1", "+1", "1.0", "1e3", "0x1"])
def test_digits_other_than_0_to_9_are_not_numbers(text):
    # str.isdigit() accepts '²' (int() refuses it: a 500 once) and '٤' (int() reads it as 4)
    assert not ascii_digits(text)
    assert parse_number(text, 10**9) is None
    assert parse_id(text) is None
    assert parse_page(text) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", 1), (" 42 ", 42), (str(MAX_ID), MAX_ID), ("0", None), (str(MAX_ID + 1), None), ("9" * 5000, None)],
)
def test_ids_within_the_database_range(text, expected):
    assert parse_id(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("3", 3), ("0", 1), ("10000", 10_000), ("10001", 10_000), ("9" * 5000, 1)]
)
def test_pages_are_bounded(text, expected):
    # int() of more than 4,300 digits raises ValueError: the length is checked first
    assert parse_page(text) == expected
