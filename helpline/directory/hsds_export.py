"""Write the helpline's structures as Open Referral HSDS 3.0 organizations.

Shape: a list of HSDS `organization` objects, each with its services nested; every service carries
its phone, schedule, service area, category and service labels (as taxonomy-term attributes) and a
service_at_location whose location holds the address (the location is also listed on the
organization, as the official example does). The compiled `organization` schema is the only one
that holds this whole tree, and grouping by organization writes each organization once.

Every id is stable: a structure's HSDS service id is its `external_id` when that is a UUID, else a
uuid5 of its `external_id` or of its database `id`; the ids of everything beneath it are uuid5s of
the service id, so exporting the same structures twice gives identical documents.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping

from .hsds import (
    CATEGORIES,
    CATEGORY_TAXONOMY,
    SERVICE_TAXONOMY,
    STATUS_TO_HSDS,
    STATUSES,
    HsdsExportError,
    HsdsProblem,
    is_email,
    is_uuid,
    is_web_url,
    json_path,
    named_organization_id,
    stable_uuid,
    standalone_organization_id,
    unnamed_organization_name,
    validate_hsds,
)
from .hsds_text import schedule_fields

ADDRESS_KEYS = ("address_1", "city", "postal_code", "region", "country")
OPTIONAL_TEXTS = (
    "organization_name",
    "organization_id",
    "description",
    "phone",
    "opening_hours",
    "eligibility",
    "external_id",
)


def export_hsds(structures: Iterable[Mapping]) -> list[dict]:
    """Return structures as validated HSDS 3.0 organizations, or raise HsdsExportError."""
    structures = list(structures)
    problems = [problem for i, s in enumerate(structures) for problem in _problems(_label(i, s), s)]
    if problems:
        raise HsdsExportError(problems)
    organizations: dict[str, dict] = {}
    first_use: dict[str, str] = {}
    for i, structure in enumerate(structures):
        service_id = hsds_service_id(structure)
        if service_id in first_use:
            message = f"same HSDS service id {service_id} as {first_use[service_id]}"
            problems.append(HsdsProblem(_label(i, structure), "$.external_id", message))
            continue
        first_use[service_id] = _label(i, structure)
        org_id, org_name = _organization(structure, service_id)
        org = organizations.setdefault(org_id, {"id": org_id, "name": None, "services": []})
        if org_name and org["name"] not in (None, org_name):
            message = f"organization {org_id} is also named {org['name']!r}"
            problems.append(HsdsProblem(_label(i, structure), "$.organization_name", message))
        org["name"] = org["name"] or org_name
        org["services"].append(_service(structure, service_id, org_id))
    if problems:
        raise HsdsExportError(problems)
    for org in organizations.values():
        org["name"] = org["name"] or unnamed_organization_name(org["id"])
        org["description"] = org["name"]
        org["services"].sort(key=lambda service: (service["name"].casefold(), service["id"]))
        locations = [
            copy.deepcopy(link["location"])
            for service in org["services"]
            for link in service.get("service_at_locations", [])
        ]
        if locations:
            org["locations"] = locations
    result = sorted(organizations.values(), key=lambda org: (org["name"].casefold(), org["id"]))
    validate_hsds(result)
    return result


def _label(index: int, structure: Mapping) -> str:
    """Name a structure in a problem."""
    name = structure.get("name")
    label = f"structure[{index}]" + (f" {name.strip()!r}" if isinstance(name, str) and name.strip() else "")
    key = next((structure[k] for k in ("id", "external_id") if structure.get(k) is not None), None)
    return label + (f" (id {key})" if key is not None else "")


def _problems(label: str, s: Mapping) -> list[HsdsProblem]:
    """Return what keeps a structure from being written as valid HSDS."""
    found: list[tuple[str, str]] = []
    if not isinstance(s.get("name"), str) or not s["name"].strip():
        found.append(("name", "is required"))
    if s.get("category") not in CATEGORIES:
        found.append(("category", f"{s.get('category')!r} is not one of {', '.join(CATEGORIES)}"))
    if s.get("status", "active") not in STATUSES:
        found.append(("status", f"{s.get('status')!r} is not one of {', '.join(STATUSES)}"))
    found += [(key, "must be text") for key in OPTIONAL_TEXTS if s.get(key) is not None and not isinstance(s[key], str)]
    if s.get("email") and not is_email(s["email"]):
        found.append(("email", f"{s['email']!r} is not a valid email address"))
    if s.get("url") and not is_web_url(s["url"]):
        found.append(("url", f"{s['url']!r} is not an http(s) URL"))
    for key in ("services", "postcodes"):
        values = s.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            found.append((key, "must be a list of non-blank texts"))
    address = s.get("address")
    if address is not None and (
        not isinstance(address, Mapping)
        or any(address.get(key) is not None and not isinstance(address[key], str) for key in ADDRESS_KEYS)
    ):
        found.append(("address", f"must be null or an object of texts {', '.join(ADDRESS_KEYS)}"))
    if not s.get("external_id") and s.get("id") is None:
        found.append(("id", "an external_id or a database id is required for a stable HSDS id"))
    return [HsdsProblem(label, json_path([key]), message) for key, message in found]


def hsds_service_id(s: Mapping) -> str:
    """Return a structure's stable HSDS service id."""
    if is_uuid(s.get("external_id")):
        return s["external_id"]
    if s.get("external_id"):
        return stable_uuid("external", s["external_id"])
    return stable_uuid("structure", s["id"])


def _organization(s: Mapping, service_id: str) -> tuple[str, str | None]:
    """Return the id and name (None if unknown) of a structure's organization, invented if it has none."""
    name, org_id = s.get("organization_name"), s.get("organization_id")
    if org_id:
        return (org_id if is_uuid(org_id) else stable_uuid("organization", org_id)), name
    if name:
        return named_organization_id(name), name
    return standalone_organization_id(service_id), s["name"]


def _service(s: Mapping, service_id: str, org_id: str) -> dict:
    """Return the HSDS service of a structure, with everything beneath it."""
    service = {"id": service_id, "organization_id": org_id, "name": s["name"]}
    service |= {key: s[key] for key in ("description", "url", "email") if s.get(key)}
    service["status"] = STATUS_TO_HSDS[s.get("status", "active")]
    if s.get("wait_time"):
        service["wait_time"] = s["wait_time"]
    if s.get("assured_date"):
        service["assured_date"] = s["assured_date"]
    if s.get("capacity_available") is not None:
        # HSDS 3.1's service_capacity (places available now), ahead of the 3.0 schema we validate against.
        unit = {"id": stable_uuid("capacity-unit", "places"), "name": "places"}
        capacity = {
            "id": stable_uuid(service_id, "capacity"),
            "service_id": service_id,
            "unit": unit,
            "available": s["capacity_available"],
        }
        if s.get("capacity_updated_at"):
            capacity["updated"] = s["capacity_updated_at"]
        service["capacities"] = [capacity]
    if s.get("eligibility"):
        service["eligibility_description"] = s["eligibility"]
    if s.get("phone"):
        phone = {"id": stable_uuid(service_id, "phone"), "service_id": service_id, "number": s["phone"]}
        service["phones"] = [phone]
    if s.get("opening_hours"):
        schedule = {"id": stable_uuid(service_id, "schedule"), "service_id": service_id}
        schedule["description"] = s["opening_hours"]
        service["schedules"] = [schedule | schedule_fields(s["opening_hours"])]
    postcodes = sorted(set(s.get("postcodes", [])))
    if postcodes:
        text = ", ".join(postcodes)
        area = {"id": stable_uuid(service_id, "service_area"), "service_id": service_id}
        service["service_areas"] = [area | {"name": text, "extent": text, "extent_type": "text"}]
    if s.get("address"):
        service["service_at_locations"] = [_service_at_location(s, service_id, org_id)]
    label = s["category"].replace("_", " ").capitalize()
    attributes = [_attribute(service_id, CATEGORY_TAXONOMY, label, "Helpline structure category", s["category"])]
    attributes += [
        _attribute(service_id, SERVICE_TAXONOMY, text, "Service offered")
        for text in dict.fromkeys(s.get("services", []))
    ]
    service["attributes"] = attributes
    return service


def _service_at_location(s: Mapping, service_id: str, org_id: str) -> dict:
    """Return the link from a service to the location holding the structure's address."""
    location_id = stable_uuid(service_id, "location")
    address = {key: s["address"].get(key) or "" for key in ADDRESS_KEYS}
    address |= {"state_province": address["region"], "address_type": "physical"}
    if not address["region"]:
        del address["region"]
    location = {
        "id": location_id,
        "location_type": "physical",
        "organization_id": org_id,
        "name": s["name"],
        "addresses": [{"id": stable_uuid(service_id, "address"), "location_id": location_id, **address}],
    }
    link_id = stable_uuid(service_id, "service_at_location")
    return {"id": link_id, "service_id": service_id, "location_id": location_id, "location": location}


def _attribute(service_id: str, taxonomy: str, name: str, description: str, code: str | None = None) -> dict:
    """Return a service attribute pointing to a term of one of the helpline's taxonomies."""
    term_id = stable_uuid("taxonomy-term", taxonomy, code or name)
    term = {
        "id": term_id,
        **({"code": code} if code else {}),
        "name": name,
        "description": description,
        "taxonomy": taxonomy,
        "taxonomy_id": stable_uuid("taxonomy", taxonomy),
    }
    return {
        "id": stable_uuid(service_id, "attribute", term_id),
        "link_id": service_id,
        "link_entity": "service",
        "taxonomy_term_id": term_id,
        "taxonomy_term": term,
    }
