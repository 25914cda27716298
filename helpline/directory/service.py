"""Finding structures by category and postcode, and saving the ones admins edit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from models import Structure

from ..extensions import db
from ..ids import ascii_digits

# Postcodes further apart than this are not "nearby" (Belgian postcodes are grouped by region).
NEARBY_DISTANCE = 100


@dataclass(frozen=True)
class Match:
    """A structure found for a postcode, and how far its territory is from it (0: it covers it)."""

    structure: Structure
    distance: Optional[int]

    @property
    def covers(self) -> bool:
        """Tell whether the structure's territory includes the postcode."""
        return self.distance == 0


def coverage_distance(structure: Structure, postcode: str) -> Optional[int]:
    """Return how far a postcode is from the nearest postcode a structure covers (None: no territory)."""
    if not postcode or not ascii_digits(postcode):
        return None
    distances = [abs(int(p) - int(postcode)) for p in structure.postcodes if ascii_digits(p)]
    return min(distances) if distances else None


def search_structures(
    categories: Iterable[str] = (),
    postcode: str = "",
    text: str = "",
    statuses: Iterable[str] = ("active",),
    nearby: bool = True,
) -> list[Match]:
    """Find structures of the given categories, nearest coverage of the postcode first."""
    # The territory is read for each structure (coverage, ordering): loaded with them in one more SELECT.
    stmt = sa.select(Structure).options(selectinload(Structure.area)).order_by(Structure.name)
    categories, statuses = list(categories), list(statuses)
    if categories:
        stmt = stmt.where(Structure.category.in_(categories))
    if statuses:
        stmt = stmt.where(Structure.status.in_(statuses))
    if text.strip():
        pattern = f"%{text.strip()}%"
        stmt = stmt.where(sa.or_(Structure.name.ilike(pattern), Structure.organization_name.ilike(pattern)))
    structures = db.session.scalars(stmt).all()
    postcode = (postcode or "").strip()
    if not postcode:
        return [Match(s, None) for s in structures]
    matches = [Match(s, coverage_distance(s, postcode)) for s in structures]
    limit = NEARBY_DISTANCE if nearby else 0
    matches = [m for m in matches if m.distance is not None and m.distance <= limit]
    # Nearest coverage first; among equals, the most local territory (fewest postcodes) first.
    return sorted(matches, key=lambda m: (m.distance, len(m.structure.postcodes), m.structure.name.casefold()))


def parse_postcodes(text: str) -> list[str]:
    """Read a territory typed as postcodes and ranges ("4000, 4020-4030"), or raise ValueError."""
    postcodes: set[str] = set()
    for part in (text or "").replace(";", ",").replace("\n", ",").split(","):
        part = part.strip()
        if not part:
            continue
        low, _, high = part.partition("-")
        low, high = low.strip(), (high.strip() or low.strip())
        if not (ascii_digits(low) and ascii_digits(high) and len(low) == len(high) == 4 and low <= high):
            raise ValueError(part)
        if int(high) - int(low) > 1000:
            raise ValueError(part)
        postcodes.update(f"{n:04d}" for n in range(int(low), int(high) + 1))
    return sorted(postcodes)


def format_postcodes(postcodes: Iterable[str]) -> str:
    """Write postcodes compactly, joining consecutive ones into ranges."""
    numbers = sorted({int(p) for p in postcodes if ascii_digits(p)})
    parts, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(f"{start:04d}" if start == n else f"{start:04d}-{n:04d}")
            start = None
    return ", ".join(parts)


FIELDS = (
    "name",
    "organization_name",
    "category",
    "description",
    "phone",
    "email",
    "address_1",
    "city",
    "postal_code",
    "opening_hours",
    "eligibility",
    "url",
    "status",
)


def save_structure(structure: Structure, values: dict) -> Structure:
    """Copy edited values onto a structure (new or existing) and add it to the session."""
    for name in FIELDS:
        if name not in values:
            continue
        value = values[name].strip() if isinstance(values[name], str) else values[name]
        setattr(structure, name, value if value or name in ("name", "description") else None)
    structure.services = [s.strip() for s in values.get("services", []) if s.strip()]
    structure.postcodes = values.get("postcodes", [])
    db.session.add(structure)
    return structure
