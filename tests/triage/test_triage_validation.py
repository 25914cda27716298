"""Request validation: field paths in errors, no echo of values, fast path as strict as jsonschema."""

from __future__ import annotations

import copy

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from support import examples
from triage_rules import TriageInputError, validate_request
from triage_rules.vocabulary import (
    CALLER_TYPES,
    CNSA_CRITERIA,
    PROFESSIONAL_ROLES,
    RED_FLAGS,
    RUPTURE_EVENTS,
    TOPICS,
    load_request_schema,
)

VALID = {
    "caller": {"type": "carer"},
    "person": {"postcode": "4020", "consent": True, "age": 81},
    "request": {"topics": ["carer_support"], "summary": "Épouse épuisée."},
}


def _with(path: str, value=None, *, delete: bool = False) -> dict:
    request = copy.deepcopy(VALID)
    *parents, last = path.split(".")
    node = request
    for key in parents:
        node = node.setdefault(key, {})
    if delete:
        del node[last]
    else:
        node[last] = value
    return request


@pytest.mark.parametrize(
    "request_, field",
    [
        (_with("person.postcode", delete=True), "person.postcode"),
        (_with("caller", delete=True), "caller"),
        (_with("caller.type", "neighbour"), "caller.type"),
        (_with("caller.professional_role", "dentist"), "caller.professional_role"),
        (_with("request.topics", []), "request.topics"),
        (_with("request.topics", ["care", "gardening"]), "request.topics[1]"),
        (_with("person.name", "Jeanne"), "person.name"),
        (_with("person.age", True), "person.age"),
        (_with("person.age", 131), "person.age"),
        (_with("person.consent", "yes"), "person.consent"),
        (_with("person.postcode", "4000\n"), "person.postcode"),
        (_with("red_flags", ["chest_pain", "chest_pain"]), "red_flags"),
        (_with("complexity.rupture_events", ["moved_abroad"]), "complexity.rupture_events[0]"),
        (_with("complexity.professionals_involved", -1), "complexity.professionals_involved"),
        (_with("prisma7", [True] * 6), "prisma7"),
        (_with("prisma7", [True] * 6 + ["yes"]), "prisma7[6]"),
        (["not", "an", "object"], "input"),
    ],
)
def test_invalid_request_names_the_field(request_, field):
    with pytest.raises(TriageInputError) as caught:
        validate_request(request_)
    assert field in caught.value.fields
    assert str(caught.value).startswith(f"{caught.value.fields[0]}: ")


def test_every_problem_is_reported_at_once():
    request = _with("caller.type", "neighbour")
    del request["person"]["consent"]
    with pytest.raises(TriageInputError) as caught:
        validate_request(request)
    assert caught.value.fields == ["caller.type", "person.consent"]


@pytest.mark.parametrize("field, value", [("request.summary", "Z" * 10001), ("person.postcode", "Q#SECRET")])
def test_errors_never_repeat_the_submitted_value(field, value):
    with pytest.raises(TriageInputError) as caught:
        validate_request(_with(field, value))
    assert field in caught.value.fields
    assert value not in str(caught.value)


def test_valid_request_is_returned_unchanged():
    request = copy.deepcopy(VALID)
    assert validate_request(request) is request
    assert request == VALID


_junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 200),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=2),
)


def _maybe(valid):
    return st.one_of(valid, valid, valid, _junk)


_requests = st.fixed_dictionaries(
    {
        "caller": _maybe(
            st.fixed_dictionaries(
                {"type": _maybe(st.sampled_from(CALLER_TYPES))},
                optional={"professional_role": _maybe(st.sampled_from(PROFESSIONAL_ROLES))},
            )
        ),
        "person": _maybe(
            st.fixed_dictionaries(
                {
                    "postcode": _maybe(st.from_regex(r"[0-9A-Za-z -]{1,11}", fullmatch=True)),
                    "consent": _maybe(st.booleans()),
                },
                optional={"age": _maybe(st.integers(-1, 131)), "lives_alone": _maybe(st.booleans())},
            )
        ),
        "request": _maybe(
            st.fixed_dictionaries(
                {"topics": _maybe(st.lists(st.sampled_from(TOPICS), max_size=3))},
                optional={"summary": _maybe(st.text(max_size=20))},
            )
        ),
    },
    optional={
        "red_flags": _maybe(st.lists(st.sampled_from(RED_FLAGS), max_size=3)),
        "complexity": _maybe(
            st.fixed_dictionaries(
                {},
                optional={
                    **{name: _maybe(st.booleans()) for name in CNSA_CRITERIA},
                    "professionals_involved": _maybe(st.integers(-1, 101)),
                    "rupture_events": _maybe(st.lists(st.sampled_from(RUPTURE_EVENTS), max_size=3)),
                },
            )
        ),
        "prisma7": _maybe(st.lists(st.booleans(), min_size=6, max_size=8)),
        "extra": st.integers(),
    },
)
_REFERENCE = jsonschema.Draft202012Validator(load_request_schema())


@examples(400)
@given(request=_requests)
def test_fast_validation_is_never_more_lenient_than_jsonschema(request):
    try:
        validate_request(request)
    except TriageInputError as error:
        assert error.problems
        assert all(path and message for path, message in error.problems)
    else:
        assert _REFERENCE.is_valid(request)
