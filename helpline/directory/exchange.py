"""Applying HSDS imports to the directory and exporting it, all or nothing.

The pure HSDS reading and writing lives in `hsds_import` / `hsds_export`; this module turns their
structure records into rows (matched on `external_id`) and back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa

from models import Structure

from ..extensions import db
from .hsds_export import export_hsds, hsds_service_id
from .hsds_import import ImportResult, parse_hsds


@dataclass(frozen=True)
class ImportSummary:
    """What an import did."""

    created: int
    updated: int
    warnings: tuple[str, ...]


def structure_record(structure: Structure) -> dict:
    """Return a structure as the record `export_hsds` writes."""
    address = None
    if any((structure.address_1, structure.city, structure.postal_code, structure.country)):
        address = {
            "address_1": structure.address_1,
            "city": structure.city,
            "postal_code": structure.postal_code,
            "country": structure.country,
        }
    return {
        "id": structure.id,
        "external_id": structure.external_id,
        "name": structure.name,
        "organization_name": structure.organization_name,
        "organization_id": structure.organization_id,
        "category": structure.category,
        "description": structure.description or None,
        "services": list(structure.services or []),
        "postcodes": structure.postcodes,
        "phone": structure.phone,
        "email": structure.email,
        "address": address,
        "opening_hours": structure.opening_hours,
        "eligibility": structure.eligibility,
        "status": structure.status,
        "url": structure.url,
        "wait_time": structure.wait_time,
        "assured_date": structure.assured_date.isoformat() if structure.assured_date else None,
        "capacity_available": structure.capacity_available,
        "capacity_updated_at": structure.capacity_updated_at.isoformat() if structure.capacity_updated_at else None,
    }


def export_directory() -> list[dict]:
    """Return the whole directory as validated HSDS 3.0 organizations."""
    structures = db.session.scalars(sa.select(Structure).order_by(Structure.id)).all()
    return export_hsds([structure_record(s) for s in structures])


def read_document(document, default_category: Optional[str] = None) -> ImportResult:
    """Read an HSDS document, or raise HsdsImportError naming every bad record and field."""
    return parse_hsds(document, default_category=default_category)


def apply_import(result: ImportResult, choices: Mapping[str, str]) -> ImportSummary:
    """Create or update the structures of an import in the session (the caller commits or rolls back)."""
    records = result.with_categories(choices)  # raises HsdsImportError while a category is missing
    known = _by_exported_id()
    created = updated = 0
    for record in records:
        structure = db.session.scalar(sa.select(Structure).where(Structure.external_id == record["external_id"]))
        structure = structure or known.get(record["external_id"])
        if structure is None:
            structure = Structure(external_id=record["external_id"])
            db.session.add(structure)
            created += 1
        else:
            updated += 1
        _copy(structure, record)
    db.session.flush()
    return ImportSummary(created, updated, result.warnings)


def _by_exported_id() -> dict[str, Structure]:
    """Return the structures by the HSDS service id our export gives them (derived when not held).

    A structure whose external_id is not a UUID (the demo's, a hand-made one) is exported under a
    uuid5 of it: re-importing that file must find the structure again, not create a copy.
    """
    structures = db.session.scalars(sa.select(Structure)).all()
    return {hsds_service_id({"id": s.id, "external_id": s.external_id}): s for s in structures}


def _copy(structure: Structure, record: dict) -> None:
    """Copy an imported record onto a structure row, cut to the columns' sizes."""
    address = record.get("address") or {}
    values = {
        "name": record["name"],
        "organization_name": record.get("organization_name"),
        "organization_id": record.get("organization_id"),
        "category": record["category"],
        "description": record.get("description") or "",
        "phone": record.get("phone"),
        "email": record.get("email"),
        "address_1": address.get("address_1"),
        "city": address.get("city"),
        "postal_code": address.get("postal_code"),
        "country": _country(address.get("country")),
        "opening_hours": record.get("opening_hours"),
        "eligibility": record.get("eligibility"),
        "url": record.get("url"),
        "status": record.get("status") or "active",
    }
    for name, value in values.items():
        column = Structure.__table__.c[name]
        length = getattr(column.type, "length", None)
        setattr(structure, name, value[:length] if isinstance(value, str) and length else value)
    if record.get("wait_time") is not None:
        structure.wait_time = record["wait_time"][:100]
    if record.get("assured_date"):
        structure.assured_date = dt.date.fromisoformat(record["assured_date"])
    if record.get("capacity_available") is not None:
        updated = record.get("capacity_updated_at")
        structure.capacity_available = record["capacity_available"]
        structure.capacity_updated_at = dt.datetime.fromisoformat(updated) if updated else None
    structure.services = list(record.get("services") or [])
    structure.postcodes = [p[:10] for p in record.get("postcodes") or []]


def _country(value: Optional[str]) -> Optional[str]:
    """Keep a two-letter country code; other spellings are dropped rather than cut."""
    return value.upper() if value and len(value) == 2 else None
