"""Read an Open Referral HSDS 3.0 document into the helpline's structure records.

Accepts a single organization (services nested), a single service, a paginated list of either
(`{"contents": [...]}`), or a bare JSON array of either (what `export_hsds` writes). The whole
document must validate against the compiled HSDS 3.0 schemas, and the fields the helpline keeps
must pass stricter checks; otherwise `HsdsImportError` lists every problem and nothing is returned.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass

from . import hsds_text
from .hsds import (
    CATEGORIES,
    STATUS_FROM_HSDS,
    HsdsImportError,
    HsdsProblem,
    is_email,
    is_web_url,
    json_path,
    named_organization_id,
    record_labels,
    schema_problems,
    standalone_organization_id,
    unnamed_organization_name,
)

SERVICE_KEYS = {
    "status",
    "organization",
    "organization_id",
    "program",
    "program_id",
    "service_at_locations",
    "service_areas",
    "eligibility_description",
}


@dataclass(frozen=True)
class ImportedStructure:
    """One structure read from an HSDS service, and how its category was decided."""

    record: str
    path: str
    structure: dict
    category_source: str  # "mapped", "defaulted" or "unresolved" (category None: ask the admin)
    candidates: tuple[str, ...]
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class ImportResult:
    """Everything read from one HSDS document."""

    shape: str
    items: tuple[ImportedStructure, ...]
    organizations: tuple[dict, ...]
    warnings: tuple[str, ...]

    @property
    def structures(self) -> list[dict]:
        """Return copies of the structure records, in document order."""
        return [copy.deepcopy(item.structure) for item in self.items]

    @property
    def unresolved(self) -> list[ImportedStructure]:
        """Return the structures that still need a category."""
        return [item for item in self.items if item.structure["category"] is None]

    def with_categories(self, choices: Mapping[str, str]) -> list[dict]:
        """Return the structures with the admin's categories (keyed by external_id), all resolved."""
        items = {item.structure["external_id"]: item for item in self.items}
        problems = [
            HsdsProblem(items[key].record, f"{items[key].path}.category", f"{value!r} is not a category")
            if key in items
            else HsdsProblem(f"choice {key!r}", "$", "no imported structure has this external_id")
            for key, value in choices.items()
            if key not in items or value not in CATEGORIES
        ]
        structures = self.structures
        for item, structure in zip(self.items, structures, strict=False):
            structure["category"] = choices.get(structure["external_id"], structure["category"])
            if structure["category"] is None:
                problems.append(HsdsProblem(item.record, f"{item.path}.category", "needs a category"))
        if problems:
            raise HsdsImportError(problems)
        return structures


def parse_hsds(document, default_category: str | None = None) -> ImportResult:
    """Read an HSDS document (JSON text, bytes, or parsed) into structures, or raise HsdsImportError."""
    if default_category is not None and default_category not in CATEGORIES:
        raise ValueError(f"default_category must be one of {', '.join(CATEGORIES)}")
    data = _load(document)
    shape, kind, schema, entries = _detect(data)
    labels = record_labels(kind, entries)
    problems = schema_problems(schema, data, labels)
    services = list(_services(kind, entries))
    reported = {p.path for p in problems}
    problems += [p for p in _rule_problems(kind, entries, services, labels) if p.path not in reported]
    if problems:
        raise HsdsImportError(problems)
    items = [_item(labels[path], path, service, org, default_category) for path, service, org in services]
    return ImportResult(
        shape, tuple(items), _organizations(kind, entries, services), _warnings(kind, entries, services, labels)
    )


def _load(document) -> object:
    """Return the parsed JSON of a document, or raise HsdsImportError if it is not JSON."""
    if isinstance(document, (Mapping, list)):
        return document
    if isinstance(document, (bytes, bytearray)):
        try:
            document = bytes(document).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise HsdsImportError([HsdsProblem("document", "$", f"not UTF-8 text: {exc.reason}")]) from None
    if not isinstance(document, str):
        raise TypeError(f"an HSDS document is JSON text, bytes, a dict or a list, not {type(document).__name__}")
    try:
        return json.loads(document.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        message = f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        raise HsdsImportError([HsdsProblem("document", "$", message)]) from None


def _looks_like_service(obj: object) -> bool:
    """Tell whether an object is an HSDS service rather than an organization."""
    return isinstance(obj, Mapping) and "services" not in obj and bool(SERVICE_KEYS & obj.keys())


def _detect(data: object) -> tuple[str, str, str, list[tuple[tuple, object]]]:
    """Return the document's shape, record kind, schema name and (path, record) entries."""
    if isinstance(data, Mapping) and "contents" in data:
        items = data["contents"] if isinstance(data["contents"], list) else []
        kind = "service" if any(map(_looks_like_service, items)) else "organization"
        return f"{kind}_list", kind, f"{kind}_page", [(("contents", i), obj) for i, obj in enumerate(items)]
    if isinstance(data, list):
        kind = "service" if any(map(_looks_like_service, data)) else "organization"
        return f"{kind}_array", kind, f"{kind}_array", [((i,), obj) for i, obj in enumerate(data)]
    if isinstance(data, Mapping) and ("id" in data or "name" in data):
        kind = "service" if _looks_like_service(data) else "organization"
        return kind, kind, kind, [((), data)]
    message = "not an HSDS organization, service, paginated list ('contents') or array of them"
    raise HsdsImportError([HsdsProblem("document", "$", message)])


def _services(kind: str, entries):
    """Yield (path, service, organization or None) for every service, in document order."""
    for path, obj in entries:
        if not isinstance(obj, Mapping):
            continue
        if kind == "service":
            org = obj.get("organization")
            yield path, obj, org if isinstance(org, Mapping) else None
        elif isinstance(obj.get("services"), list):
            for j, service in enumerate(obj["services"]):
                if isinstance(service, Mapping):
                    yield (*path, "services", j), service, obj


def _rule_problems(kind, entries, services, labels) -> list[HsdsProblem]:
    """Check, beyond the schemas, the fields the helpline keeps."""
    problems = []
    orgs = [(path, obj) for path, obj in entries if kind == "organization" and isinstance(obj, Mapping)]
    orgs += [((*path, "organization"), org) for path, _, org in services if kind == "service" and org]
    for path, org in orgs:
        label = labels.get(path) or labels[path[:-1]]
        problems += _blank(label, path, org, "name") + _bad_email(label, (*path, "email"), org.get("email"))
    first_seen: dict[str, str] = {}
    for path, service, _ in services:
        label = labels[path]
        problems += _blank(label, path, service, "name")
        problems += _bad_email(label, (*path, "email"), service.get("email"))
        for c, contact in enumerate(_list(service.get("contacts"))):
            if isinstance(contact, Mapping):
                problems += _bad_email(label, (*path, "contacts", c, "email"), contact.get("email"))
        url = service.get("url")
        if isinstance(url, str) and not is_web_url(url):
            problems.append(HsdsProblem(label, json_path((*path, "url")), f"{url!r} is not an http(s) URL"))
        service_id = service.get("id")
        if isinstance(service_id, str) and service_id in first_seen:
            message = f"duplicate service id, also used by {first_seen[service_id]}"
            problems.append(HsdsProblem(label, json_path((*path, "id")), message))
        elif isinstance(service_id, str):
            first_seen[service_id] = label
    return problems


def _blank(label: str, path: tuple, obj: Mapping, key: str) -> list[HsdsProblem]:
    """Report a text field that is present but blank."""
    value = obj.get(key)
    if isinstance(value, str) and not value.strip():
        return [HsdsProblem(label, json_path((*path, key)), "must not be blank")]
    return []


def _bad_email(label: str, path: tuple, value: object) -> list[HsdsProblem]:
    """Report an e-mail address the helpline could not write to."""
    if isinstance(value, str) and not is_email(value):
        return [HsdsProblem(label, json_path(path), f"{value!r} is not a valid email address")]
    return []


def _item(label, path, service, org, default_category) -> ImportedStructure:
    """Map one HSDS service, with its organization, to a structure and its category decision."""
    sal, location = _placement(service, org)
    address = _address(location)
    postcodes = hsds_text.area_postcodes(service.get("service_areas") or [])
    if not postcodes and address and address["postal_code"]:
        postcodes = [address["postal_code"]]
    org = org or {}
    org_id = _text(org.get("id")) or _text(service.get("organization_id"))
    org_name = _text(org.get("name"))
    # Ids the export derived rather than held: give back what the structure had before.
    standalone = org_id == standalone_organization_id(service["id"])
    if org_name and org_id == named_organization_id(org_name):
        org_id = None
    if org_id and org_name == unnamed_organization_name(org_id):
        org_name = None
    schedules = service.get("schedules") or (sal or {}).get("schedules") or (location or {}).get("schedules")
    terms = [a["taxonomy_term"] for a in service.get("attributes") or [] if a.get("taxonomy_term")]
    offered = [_text(term.get("name")) for term in terms if hsds_text.term_category(term) is None]
    category, source, candidates, evidence = hsds_text.decide_category(service, terms, default_category)
    structure = {
        "external_id": service["id"],
        "name": service["name"].strip(),
        "organization_name": None if standalone else org_name,
        "organization_id": None if standalone else org_id,
        "category": category,
        "description": _text(service.get("description")) or "",
        "services": [label for label in dict.fromkeys(offered) if label],
        "postcodes": postcodes,
        "phone": _first_phone(service, sal, location, org),
        "email": _first([service.get("email"), *_contact_emails(service), org.get("email")]),
        "address": address,
        "opening_hours": hsds_text.schedules_text(schedules or []),
        "eligibility": _text(service.get("eligibility_description")),
        "status": STATUS_FROM_HSDS[service["status"]],
        "url": _text(service.get("url")),
    }
    # The freshness fields only when the file has them (a plain HSDS 3.0 record round-trips as it was).
    fresh = {
        "wait_time": _text(service.get("wait_time")),
        "assured_date": _date(service.get("assured_date")),
        **_capacity(service.get("capacities")),
    }
    structure |= {key: value for key, value in fresh.items() if value is not None}
    return ImportedStructure(label, json_path(path), structure, source, candidates, evidence)


def _date(value: object) -> str | None:
    """Return an ISO date (HSDS assured_date) as YYYY-MM-DD, or None when absent or unreadable."""
    try:
        return dt.date.fromisoformat(value[:10]).isoformat() if isinstance(value, str) else None
    except ValueError:
        return None


def _capacity(capacities: object) -> dict:
    """Return the places available of the first HSDS service_capacity, with when it was said."""
    for capacity in _list(capacities):
        if isinstance(capacity, Mapping) and isinstance(capacity.get("available"), (int, float)):
            updated = None
            if isinstance(capacity.get("updated"), str):
                try:
                    updated = dt.datetime.fromisoformat(capacity["updated"])
                except ValueError:
                    updated = None
            if updated is not None and updated.tzinfo is None:
                updated = updated.replace(tzinfo=dt.UTC)
            return {
                "capacity_available": max(int(capacity["available"]), 0),
                "capacity_updated_at": updated.isoformat() if updated else None,
            }
    return {}


def _list(value: object) -> list:
    """Return a value if it is a list, else an empty list (the schema check reports it)."""
    return value if isinstance(value, list) else []


def _text(value: object) -> str | None:
    """Return a stripped string, or None for blanks and non-strings."""
    return value.strip() or None if isinstance(value, str) else None


def _first(values) -> str | None:
    """Return the first non-blank string of a sequence."""
    return next((text for text in map(_text, values) if text), None)


def _placement(service: Mapping, org: Mapping | None) -> tuple[Mapping | None, Mapping | None]:
    """Return the service's first service_at_location and its location (nested or by location_id)."""
    by_id = {loc.get("id"): loc for loc in (org or {}).get("locations") or []}
    links = [sal for sal in service.get("service_at_locations") or [] if isinstance(sal, Mapping)]
    for sal in links:
        location = sal.get("location") or by_id.get(sal.get("location_id"))
        if location:
            return sal, location
    return (links[0] if links else None), None


def _address(location: Mapping | None) -> dict | None:
    """Return the helpline address of a location (its physical address first), or None."""
    addresses = [a for a in (location or {}).get("addresses") or [] if isinstance(a, Mapping)]
    if not addresses:
        return None
    chosen = next((a for a in addresses if a.get("address_type") == "physical"), addresses[0])
    address = {key: _text(chosen.get(key)) for key in ("address_1", "city", "postal_code")}
    address["region"] = _text(chosen.get("region")) or _text(chosen.get("state_province"))
    address["country"] = _text(chosen.get("country"))
    return address if any(address.values()) else None


def _first_phone(service, sal, location, org) -> str | None:
    """Return the first phone number of the service, its location, its contacts or its organization."""
    lists = [service.get("phones"), (sal or {}).get("phones"), (location or {}).get("phones")]
    lists += [c.get("phones") for c in service.get("contacts") or [] if isinstance(c, Mapping)]
    lists.append(org.get("phones"))
    for phones in lists:
        for phone in phones or []:
            # Some producers (the official examples too) write the number inside quotes.
            number = _text(phone.get("number").strip().strip("\"'")) if isinstance(phone, Mapping) else None
            if number:
                return number
    return None


def _contact_emails(service: Mapping) -> list:
    """Return the e-mail addresses of the service's contacts."""
    return [c.get("email") for c in service.get("contacts") or [] if isinstance(c, Mapping)]


def _organizations(kind, entries, services) -> tuple[dict, ...]:
    """Return the id and name of every organization in the document, once each."""
    orgs = [obj for _, obj in entries if isinstance(obj, Mapping)] if kind == "organization" else []
    orgs += [org for _, _, org in services if kind == "service" and org]
    seen = {}
    for org in orgs:
        seen.setdefault(org.get("id"), {"id": org.get("id"), "name": _text(org.get("name"))})
    return tuple(seen.values())


def _warnings(kind, entries, services, labels) -> tuple[str, ...]:
    """Return what the admin should know although the import succeeds."""
    warnings = []
    if kind == "organization":
        warnings += [
            f"{labels[path]}: no services, nothing to import" for path, obj in entries if not obj.get("services")
        ]
    warnings += [
        f"{labels[path]}: status 'defunct' imported as inactive"
        for path, service, _ in services
        if service.get("status") == "defunct"
    ]
    return tuple(warnings)
