"""Open Referral HSDS 3.0 vocabulary, identifiers, problems and schema validation.

Shared by `hsds_import` (HSDS document -> structure dicts), `hsds_export` (structure dicts ->
HSDS organizations) and `hsds_text` (categories, postcodes and hours read from free text).
Pure Python: no Flask, no database.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from models.vocabulary import CATEGORIES as CATEGORIES  # re-exported: the HSDS module's categories
from models.vocabulary import STRUCTURE_STATUSES

if TYPE_CHECKING:  # jsonschema is imported when a document is validated, not at start-up
    from jsonschema import Draft202012Validator
    from referencing import Registry

STATUSES = STRUCTURE_STATUSES
STATUS_FROM_HSDS = {
    "active": "active",
    "inactive": "inactive",
    "defunct": "inactive",
    "temporarily closed": "temporarily_closed",
}
STATUS_TO_HSDS = {"active": "active", "inactive": "inactive", "temporarily_closed": "temporarily closed"}
# iCal day codes of HSDS schedules, and the French abbreviations opening hours are written with.
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")
# Taxonomies the export writes so that a re-import recovers the category and the service labels.
CATEGORY_TAXONOMY = "helpline-structure-category"
SERVICE_TAXONOMY = "helpline-service-offered"
# Namespace of every uuid5 the export derives, so the same structure always gets the same id.
# Never change it: every id already published would change with it.
NAMESPACE = uuid.UUID("5d3c1f0e-8a57-5b1e-9c43-6b8f0a2d7e11")
SCHEMA_DIR = Path(__file__).with_name("hsds_schema")
SCHEMA_BASE = "https://helpline.invalid/hsds/3.0/"
SCHEMA_NAMES = ("organization", "organization_list", "service", "service_list", "service_at_location")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


@dataclass(frozen=True)
class HsdsProblem:
    """One thing wrong in an HSDS document or a structure, naming the record and the field."""

    record: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.record}: {self.path}: {self.message}"


class HsdsError(ValueError):
    """Problems found in HSDS data; `problems` lists every one of them."""

    def __init__(self, problems: Sequence[HsdsProblem]):
        self.problems = list(problems)
        lines = "\n".join(f"- {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s):\n{lines}")


class HsdsImportError(HsdsError):
    """An HSDS document that cannot be imported; nothing of it was imported."""


class HsdsExportError(HsdsError):
    """Structures that cannot be written as HSDS."""


class HsdsValidationError(HsdsError):
    """HSDS objects that do not validate against the compiled HSDS 3.0 schemas."""


def stable_uuid(*parts: object) -> str:
    """Return the uuid5 of the given parts in the helpline's namespace."""
    return str(uuid.uuid5(NAMESPACE, "|".join(str(p) for p in parts)))


def standalone_organization_id(service_id: str) -> str:
    """Return the id of the organization the export invents for a structure without one."""
    return stable_uuid("standalone-organization", service_id)


def named_organization_id(name: str) -> str:
    """Return the id the export gives an organization known by its name only."""
    return stable_uuid("organization-name", name.casefold())


def unnamed_organization_name(organization_id: str) -> str:
    """Return the name the export gives an organization known by its id only."""
    return f"Organization {organization_id}"


def is_uuid(value: object) -> bool:
    """Tell whether a value is a UUID string as the HSDS `uuid` format accepts it."""
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return all(value[i] == "-" for i in (8, 13, 18, 23))


def is_email(value: object) -> bool:
    """Tell whether a value looks like a deliverable e-mail address."""
    return isinstance(value, str) and bool(EMAIL_RE.match(value))


def is_web_url(value: object) -> bool:
    """Tell whether a value is an absolute http(s) URL."""
    if not isinstance(value, str) or any(c.isspace() for c in value):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def json_path(path: Sequence[str | int]) -> str:
    """Format a path of keys and indexes as a JSON path ("$.services[0].name")."""
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def record_label(kind: str, index: int, obj: object) -> str:
    """Name a record for a human: its kind, index, name and id."""
    label = f"{kind}[{index}]"
    if isinstance(obj, Mapping):
        if isinstance(obj.get("name"), str) and obj["name"].strip():
            label += f" {obj['name'].strip()!r}"
        if isinstance(obj.get("id"), str) and obj["id"]:
            label += f" (id {obj['id']})"
    return label


def _wrappers(name: str) -> dict[str, dict]:
    """Return the helpline's own page and array schemas around one compiled HSDS schema."""
    item = {"$ref": f"{SCHEMA_BASE}{name}.json"}
    page = {
        "type": "object",
        "required": ["contents"],
        "properties": {
            **{k: {"type": "integer", "minimum": 0} for k in ("total_items", "total_pages", "size")},
            "page_number": {"type": "integer", "minimum": 1},
            **{k: {"type": "boolean"} for k in ("first_page", "last_page", "empty")},
            "contents": {"type": "array", "items": item},
        },
    }
    return {f"{name}_page": page, f"{name}_array": {"type": "array", "items": item}}


@lru_cache(maxsize=1)
def schema_registry() -> Registry:
    """Return a registry holding the compiled HSDS schemas and the page/array wrappers."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    schemas: dict[str, dict] = {}
    for name in SCHEMA_NAMES:
        with (SCHEMA_DIR / f"{name}.json").open(encoding="utf-8") as handle:
            schemas[name] = json.load(handle)
        schemas.update(_wrappers(name))
    resources = [
        (f"{SCHEMA_BASE}{name}.json", Resource.from_contents(schema, default_specification=DRAFT202012))
        for name, schema in schemas.items()
    ]
    return Registry().with_resources(resources).crawl()


@cache
def schema_validator(name: str) -> Draft202012Validator:
    """Return a validator, with format checks, for a schema of the registry ("service_page"...)."""
    from jsonschema import Draft202012Validator, FormatChecker

    registry = schema_registry()
    uri = f"{SCHEMA_BASE}{name}.json"
    if uri not in registry:
        raise KeyError(f"no HSDS schema named {name!r}")
    return Draft202012Validator(registry[uri].contents, registry=registry, format_checker=FormatChecker())


def _message(error) -> str:
    """Return a short message for a schema error, without echoing large instances."""
    if error.validator == "required":
        return "is required"
    if error.validator == "type":
        return f"must be of type {error.validator_value}, not {type(error.instance).__name__}"
    if error.validator == "enum":
        return f"{error.instance!r} is not one of {', '.join(map(repr, error.validator_value))}"
    if error.validator == "format":
        return f"{error.instance!r} is not a valid {error.validator_value}"
    text = error.message
    return text if len(text) <= 200 else text[:197] + "..."


def _error_path(error) -> list[str | int]:
    """Return the path of the field an error is about (the missing key for `required`)."""
    path = list(error.absolute_path)
    if error.validator == "required":
        match = re.match(r"^'(.+)' is a required property$", error.message)
        if match:
            path.append(match.group(1))
    return path


def schema_problems(name: str, instance: object, labels: Mapping[tuple, str]) -> list[HsdsProblem]:
    """Validate against a named schema; name each error by the deepest record of `labels`."""
    problems = []
    for error in schema_validator(name).iter_errors(instance):
        path = _error_path(error)
        record = next(
            (labels[tuple(path[:n])] for n in range(len(path), -1, -1) if tuple(path[:n]) in labels),
            "document",
        )
        problems.append(HsdsProblem(record, json_path(path), _message(error)))
    return problems


def record_labels(kind: str, entries: Iterable[tuple[tuple, object]], counters=None) -> dict[tuple, str]:
    """Label each (path, object) record, and the services nested in organizations."""
    counters = {"organization": 0, "service": 0, "service_at_location": 0} if counters is None else counters
    labels = {}
    for path, obj in entries:
        labels[path] = record_label(kind, counters[kind], obj)
        counters[kind] += 1
        nested = obj.get("services") if kind == "organization" and isinstance(obj, Mapping) else None
        if isinstance(nested, list):
            services = (((*path, "services", j), service) for j, service in enumerate(nested))
            labels.update(record_labels("service", services, counters))
    return labels


def validate_hsds(objects: Sequence[Mapping], kind: str = "organization") -> None:
    """Validate HSDS objects of one kind against the compiled schemas, or raise HsdsValidationError."""
    if kind not in SCHEMA_NAMES:
        raise ValueError(f"kind must be one of {', '.join(SCHEMA_NAMES)}, not {kind!r}")
    if isinstance(objects, (Mapping, str, bytes)):
        raise TypeError("validate_hsds takes a list of HSDS objects")
    record_kind = kind.removesuffix("_list")
    labels = record_labels(record_kind, (((i,), obj) for i, obj in enumerate(objects)))
    problems = schema_problems(f"{kind}_array", list(objects), labels)
    if problems:
        raise HsdsValidationError(problems)
