"""Refusing bad HSDS documents: every problem names its record and field, and nothing is imported."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fixture_paths import HSDS_EXAMPLES
from helpline.directory.hsds import HsdsImportError
from helpline.directory.hsds_import import parse_hsds
from support import examples

EXAMPLES = HSDS_EXAMPLES
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
OTHER_ID = "7f3e2d1c-0b9a-4c8d-9e7f-6a5b4c3d2e1f"


def example(name: str) -> dict:
    """Return an official HSDS example, parsed, to be spoiled by a test."""
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def problems_of(document) -> list[tuple[str, str, str]]:
    """Return the (record, path, message) of every problem the import reports."""
    with pytest.raises(HsdsImportError) as caught:
        parse_hsds(document)
    return [(p.record, p.path, p.message) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b'{"id": "x", "name": ', "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8 text"),
        ('"a string"', "not an HSDS organization, service"),
        ('{"title": "my directory"}', "not an HSDS organization, service"),
    ],
)
def test_document_that_is_not_an_hsds_document_is_refused(document, message):
    [(record, path, text)] = problems_of(document)

    assert (record, path) == ("document", "$")
    assert message in text


def spoil(name: str, path: list, value=None, delete: bool = False) -> dict:
    """Return an official example with the field at `path` replaced or deleted."""
    document = example(name)
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return document


NAMED = "service[0] 'Community Counselling' (id ac148810-d857-441c-9679-408f346de14b)"


@pytest.mark.parametrize(
    ("document", "record", "path", "message"),
    [
        (
            spoil("service_list", ["contents", 0, "name"], delete=True),
            f"service[0] (id {SERVICE_ID})",
            "$.contents[0].name",
            "is required",
        ),
        (
            spoil("organization_full", ["services", 0, "id"], delete=True),
            "service[0] 'Community Counselling'",
            "$.services[0].id",
            "is required",
        ),
        (spoil("service_full", ["status"], "open"), NAMED, "$.status", "'open' is not one of"),
        (spoil("service_full", ["email"], "not-an-email"), NAMED, "$.email", "is not a valid email"),
        (spoil("service_full", ["email"], "nobody@localhost"), NAMED, "$.email", "is not a valid email address"),
        (
            spoil("organization_full", ["services", 0, "url"], "www.example.be"),
            NAMED,
            "$.services[0].url",
            "is not an http(s) URL",
        ),
        (
            spoil("service_full", ["id"], "42"),
            "service[0] 'Community Counselling' (id 42)",
            "$.id",
            "'42' is not a valid uuid",
        ),
        (spoil("service_full", ["name"], "   "), f"service[0] (id {SERVICE_ID})", "$.name", "must not be blank"),
        (
            spoil("organization_full", ["services", 0, "phones", 0, "number"], delete=True),
            NAMED,
            "$.services[0].phones[0].number",
            "is required",
        ),
        (
            spoil("organization_full", ["email"], "contact@"),
            "organization[0] 'Example Organization Inc.' (id d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610)",
            "$.email",
            "is not a valid email",
        ),
        (spoil("service_list", ["total_items"], "ten"), "document", "$.total_items", "must be of type integer"),
    ],
)
def test_invalid_record_is_refused_naming_record_and_field(document, record, path, message):
    problems = problems_of(document)

    assert len(problems) == 1, problems
    [(got_record, got_path, got_message)] = problems
    assert (got_record, got_path) == (record, path)
    assert message in got_message


def test_one_bad_service_refuses_the_whole_document_and_all_problems_are_listed():
    good = example("service_list")["contents"][0]
    bad_status = {**good, "id": OTHER_ID, "status": "closed"}
    nameless = {key: value for key, value in good.items() if key != "name"} | {"id": SERVICE_ID[:-1] + "c"}
    document = {**example("service_list"), "contents": [good, bad_status, nameless]}

    problems = problems_of(document)

    assert [(record.split(" ")[0], path) for record, path, _ in problems] == [
        ("service[1]", "$.contents[1].status"),
        ("service[2]", "$.contents[2].name"),
    ]


def test_duplicate_service_ids_are_refused():
    service = example("service_list")["contents"][0]

    [(record, path, message)] = problems_of([service, {**service, "name": "Copie"}])

    assert record == f"service[1] 'Copie' (id {SERVICE_ID})"
    assert path == "$[1].id"
    assert message == f"duplicate service id, also used by {NAMED}"


def test_error_message_lists_every_problem_with_record_and_field():
    document = spoil("service_full", ["status"], "open")

    expected = r"1 problem\(s\):\n- service\[0\] 'Community Counselling' .*: \$\.status: "
    with pytest.raises(HsdsImportError, match=expected):
        parse_hsds(document)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=5,
)


def field_paths(value, path=()):
    """Yield the path of every field and item below a JSON value."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return
    for key, child in items:
        yield (*path, key)
        yield from field_paths(child, (*path, key))


@examples(60)
@given(st.sampled_from(["organization_full", "organization_list", "service_full", "service_list"]), st.data())
def test_damaged_example_is_imported_or_refused_with_named_problems_never_crashes(name, data):
    document = example(name)
    path = data.draw(st.sampled_from(list(field_paths(document))))
    document = spoil(name, list(path), data.draw(json_values), delete=data.draw(st.booleans()))

    try:
        parse_hsds(document)
    except HsdsImportError as error:
        assert all(p.record and p.path.startswith("$") and p.message for p in error.problems)
