"""Duplicates found later: proposed on the person's page, merged into one person (undoable until
confirmed), or recorded as not the same person.

A merge moves every row that points at the merged person (every table with a foreign key to
`person`, found from the models, so a new table is moved without changing this module) to the kept
person, and keeps the ids of the moved rows so that "undo" puts exactly those rows back. The
merged person stays, marked `merged_into_id`: hidden from search and lists, her page leads to the
kept person. The audit trail is not moved: what was read and changed about her stays hers.
"""

from __future__ import annotations

import datetime as dt
from difflib import SequenceMatcher
from typing import Any, Optional

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from models import Base, Callback, Case, Person, PersonDistinct, PersonMerge, User, utcnow

from .. import audit
from ..extensions import db
from .service import name_key, possible_duplicates

# Tables whose person column is not moved: the person herself (merged_into_id), the merge records
# and the audit trail (append-only: what happened to a record stays recorded against it).
UNMOVED_TABLES = frozenset({"person", "person_merge", "person_distinct", "audit_event"})
# What the confirmation page calls the rows of each table (another table shows its own name).
KIND_LABELS = {
    "call": _l("Calls"),
    "referral": _l("Referrals"),
    "case": _l("Cases"),
    "followup": _l("Follow-up calls"),
    "consent": _l("Consents"),
    "person_contact": _l("Contacts"),
    "person_flag": _l("Flags"),
    "correction": _l("Corrections"),
    "task": _l("Tasks"),
    "meeting_decision": _l("Team meeting decisions"),
}
# Fields of the kept record filled from the merged one when they are empty in the kept one.
FILLED_FIELDS = (
    "birth_date",
    "phone",
    "street",
    "house_number",
    "box",
    "city",
    "access_notes",
    "lives_alone",
    "gp_name",
    "gp_phone",
)
# What the pages call those fields.
FIELD_LABELS = {
    "birth_date": _l("Date of birth"),
    "phone": _l("Phone"),
    "street": _l("Street"),
    "house_number": _l("Number"),
    "box": _l("Box"),
    "city": _l("City"),
    "access_notes": _l("Access:"),
    "lives_alone": _l("Lives alone"),
    "gp_name": _l("GP (médecin traitant)"),
    "gp_phone": _l("GP's phone"),
}
OPEN_CASE_STATUSES = ("waiting", "active")
SIMILAR_NAME_RATIO = 0.8
DUPLICATES_LIMIT = 10
_CHUNK = 500


class MergeRefused(ValueError):
    """A merge (or its undo or confirmation) that cannot be done; the message says why."""


# --- Possible duplicates -------------------------------------------------------------------------


def _visible(stmt):
    return stmt.where(Person.pseudonymised_at.is_(None), Person.merged_into_id.is_(None))


def similar_names(a: Person, b: Person) -> bool:
    """Tell whether two persons' names look like one person's (accents and case folded, names swapped, typos)."""
    a_first, a_last = name_key(a.first_name), name_key(a.last_name)
    b_first, b_last = name_key(b.first_name), name_key(b.last_name)
    if a_last == b_last or a_first == b_first or (a_first, a_last) == (b_last, b_first):
        return True
    return SequenceMatcher(None, f"{a_last} {a_first}", f"{b_last} {b_first}").ratio() >= SIMILAR_NAME_RATIO


def distinct_ids(person_id: int) -> set[int]:
    """Return the persons recorded as not the same person as this one."""
    rows = db.session.execute(
        sa.select(PersonDistinct.person_id, PersonDistinct.other_person_id).where(
            sa.or_(PersonDistinct.person_id == person_id, PersonDistinct.other_person_id == person_id)
        )
    )
    return {other for pair in rows for other in pair if other != person_id}


def duplicates_of(person: Person) -> list[Person]:
    """Return the persons that could be the same person: same date of birth and a similar name, or the
    same phone number (and the app's new-person checks: same name with the same postcode), less the
    pairs recorded as not the same person."""
    if person.pseudonymised_at or person.merged_into_id:
        return []
    found: dict[int, Person] = {
        p.id: p
        for p in possible_duplicates(
            person.first_name, person.last_name, person.birth_date, person.phone, person.postcode
        )
    }
    if person.birth_date:
        same_day = _visible(sa.select(Person).where(Person.birth_date == person.birth_date, Person.id != person.id))
        for other in db.session.scalars(same_day.limit(50)):
            if similar_names(person, other):
                found[other.id] = other
    if person.phone:
        same_phone = _visible(sa.select(Person).where(Person.phone == person.phone, Person.id != person.id))
        found.update((p.id, p) for p in db.session.scalars(same_phone.limit(DUPLICATES_LIMIT)))
    found.pop(person.id, None)
    for other_id in distinct_ids(person.id):
        found.pop(other_id, None)
    persons = sorted(found.values(), key=lambda p: (p.last_name_key, p.first_name_key, p.id))
    return persons[:DUPLICATES_LIMIT]


def mark_distinct(person: Person, other: Person, user: User) -> PersonDistinct:
    """Record that two persons are not the same person (idempotent); the caller commits."""
    if person.id == other.id:
        raise MergeRefused(_l("A person is the same person as herself."))
    low, high = sorted((person.id, other.id))
    pair = db.session.scalar(
        sa.select(PersonDistinct).where(PersonDistinct.person_id == low, PersonDistinct.other_person_id == high)
    )
    if pair is not None:
        return pair
    pair = PersonDistinct(person_id=low, other_person_id=high, by_id=user.id)
    db.session.add(pair)
    db.session.flush()
    for one, two in ((low, high), (high, low)):
        audit.record("not_same_person", "person_distinct", pair.id, person_id=one, detail={"other": two})
    return pair


# --- What a merge moves --------------------------------------------------------------------------


def person_references() -> dict[str, tuple[sa.Table, sa.Column]]:
    """Return every column pointing at a person that a merge moves, keyed as the merge record keeps them."""
    references = {}
    for table in Base.metadata.sorted_tables:
        if table.name in UNMOVED_TABLES:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name == "person":
                key = table.name if fk.parent.name == "person_id" else f"{table.name}.{fk.parent.name}"
                references[key] = (table, fk.parent)
    return references


def rows_of(person_id: int) -> dict[str, list[int]]:
    """Return the ids of the rows pointing at a person, by table (tables without any left out)."""
    rows = {}
    for key, (table, column) in person_references().items():
        ids = list(db.session.scalars(sa.select(table.c.id).where(column == person_id).order_by(table.c.id)))
        if ids:
            rows[key] = ids
    return rows


def kind_label(key: str) -> str:
    """Return what the pages call the rows of a table."""
    return str(KIND_LABELS.get(key, key))


def _text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def _empty(value: Any) -> bool:
    return value is None or value == ""


def fields_filled(kept: Person, merged: Person) -> dict[str, Any]:
    """Return the fields the merge fills in the kept record (empty there, known in the merged one)."""
    return {
        name: getattr(merged, name)
        for name in FILLED_FIELDS
        if _empty(getattr(kept, name)) and not _empty(getattr(merged, name))
    }


def open_case(person_id: int) -> Optional[Case]:
    """Return the person's open case (waiting or active), if any."""
    stmt = sa.select(Case).where(Case.person_id == person_id, Case.status.in_(OPEN_CASE_STATUSES))
    return db.session.scalar(stmt.limit(1))


def pending_merge_of(person_id: int) -> Optional[PersonMerge]:
    """Return a merge not yet confirmed nor undone that involves the person, if any."""
    stmt = sa.select(PersonMerge).where(
        PersonMerge.status == "pending",
        sa.or_(PersonMerge.kept_person_id == person_id, PersonMerge.merged_person_id == person_id),
    )
    return db.session.scalar(stmt.order_by(PersonMerge.id).limit(1))


def refusal(kept: Person, merged: Person) -> Optional[str]:
    """Return why these two persons cannot be merged now, or None."""
    if kept.id == merged.id:
        return str(_l("A person cannot be merged into herself."))
    if kept.merged_into_id or merged.merged_into_id:
        return str(_l("One of these records is already merged into another person."))
    if kept.pseudonymised_at or merged.pseudonymised_at:
        return str(_l("One of these records was erased: it cannot be merged."))
    if pending_merge_of(kept.id) or pending_merge_of(merged.id):
        return str(_l("A merge of one of these persons waits to be confirmed or undone: do that first."))
    if open_case(kept.id) and open_case(merged.id):
        return str(
            _l(
                "Both persons have an open case (waiting or active) and a person has one case at a time: "
                "close one of the two cases first, then merge."
            )
        )
    return None


def preview(kept: Person, merged: Person) -> dict[str, Any]:
    """Return what merging `merged` into `kept` would move and fill, and why it cannot be done (if so)."""
    rows = rows_of(merged.id)
    callbacks = 0
    if rows.get("call"):
        callbacks = db.session.scalar(sa.select(sa.func.count(Callback.id)).where(Callback.call_id.in_(rows["call"])))
    return {
        "rows": rows,
        "callbacks": callbacks,
        "fields": fields_filled(kept, merged),
        "refusal": refusal(kept, merged),
    }


# --- Merge, undo, confirm ------------------------------------------------------------------------


def _chunks(ids: list[int]):
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _move(moved: dict[str, list[int]], source: int, target: int) -> dict[str, int]:
    """Point the listed rows that still point at `source` at `target`; return how many moved by table."""
    references = person_references()
    counts = {}
    for key, ids in moved.items():
        if key not in references:
            continue
        table, column = references[key]
        count = 0
        for chunk in _chunks(ids):
            result = db.session.execute(
                sa.update(table).where(table.c.id.in_(chunk), column == source).values({column.name: target})
            )
            count += result.rowcount
        counts[key] = count
    return counts


def _claim(person_id: int, merged_into: Optional[int]) -> bool:
    """Mark a person merged into another if nobody merged her meanwhile (with None: only check and lock
    her row, so that she is not merged elsewhere while rows move to her)."""
    stmt = sa.update(Person).where(Person.id == person_id, Person.merged_into_id.is_(None))
    result = db.session.execute(stmt.values(merged_into_id=merged_into))
    return result.rowcount == 1


def merge_persons(kept: Person, merged: Person, user: User) -> PersonMerge:
    """Move every row of `merged` to `kept`, mark `merged` as merged into `kept`; the caller commits.

    Raises MergeRefused (nothing changed) when the pair cannot be merged now.
    """
    reason = refusal(kept, merged)
    if reason:
        raise MergeRefused(reason)
    filled = fields_filled(kept, merged)
    db.session.flush()
    # Conditional updates: two nurses merging the same records at once, only one succeeds.
    if not (_claim(kept.id, None) and _claim(merged.id, kept.id)):
        db.session.rollback()
        raise MergeRefused(str(_l("One of these records is already merged into another person.")))
    moved = rows_of(merged.id)
    _move(moved, merged.id, kept.id)
    db.session.expire_all()  # the moved rows' person, and the merged person's mark, as the database has them
    fields = {name: [_text(getattr(kept, name)), _text(value)] for name, value in filled.items()}
    for name, value in filled.items():
        setattr(kept, name, value)
    if merged.last_contact_at and (kept.last_contact_at is None or merged.last_contact_at > kept.last_contact_at):
        fields["last_contact_at"] = [_text(kept.last_contact_at), _text(merged.last_contact_at)]
        kept.last_contact_at = merged.last_contact_at
    merge = PersonMerge(
        kept_person_id=kept.id, merged_person_id=merged.id, moved=moved, fields=fields, merged_by_id=user.id
    )
    db.session.add(merge)
    db.session.flush()
    detail = {"kept": kept.id, "merged": merged.id, "moved": moved, "fields": sorted(fields)}
    audit.record("merge", "person_merge", merge.id, person_id=kept.id, detail=detail, user_id=user.id)
    audit.record(
        "merge",
        "person",
        merged.id,
        person_id=merged.id,
        detail={"merge_id": merge.id, "into": kept.id},
        user_id=user.id,
    )
    return merge


def _decide(merge: PersonMerge, status: str, user: User) -> None:
    result = db.session.execute(
        sa.update(PersonMerge)
        .where(PersonMerge.id == merge.id, PersonMerge.status == "pending")
        .values(status=status, decided_by_id=user.id, decided_at=utcnow())
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise MergeRefused(str(_l("This merge was already confirmed or undone.")))


def _record_decision(action: str, merge: PersonMerge, detail: dict[str, Any], user: User) -> None:
    """Audit an undo or a confirmation on the merge (the kept person's trail) and on the merged person."""
    kept_id, merged_id = detail["kept"], detail["merged"]
    audit.record(action, "person_merge", merge.id, person_id=kept_id, detail=detail, user_id=user.id)
    audit.record(action, "person", merged_id, person_id=merged_id, detail={"merge_id": merge.id}, user_id=user.id)


def _from_text(name: str, text: Any) -> Any:
    if text is None:
        return None
    if name == "birth_date":
        return dt.date.fromisoformat(text)
    if name == "last_contact_at":
        return dt.datetime.fromisoformat(text)
    return text


def undo_merge(merge: PersonMerge, user: User) -> dict[str, int]:
    """Put every moved row back on the merged person and show her again; the caller commits.

    Fields the merge filled in the kept record are emptied again unless someone changed them since.
    Returns how many rows went back, by table.
    """
    if merge.status != "pending":
        raise MergeRefused(str(_l("This merge was already confirmed or undone.")))
    _decide(merge, "undone", user)
    restored = _move(merge.moved, merge.kept_person_id, merge.merged_person_id)
    db.session.execute(
        sa.update(Person)
        .where(Person.id == merge.merged_person_id, Person.merged_into_id == merge.kept_person_id)
        .values(merged_into_id=None)
    )
    db.session.expire_all()
    kept = db.session.get(Person, merge.kept_person_id)
    emptied = []
    for name, (before, after) in merge.fields.items():
        if _text(getattr(kept, name)) == after:
            setattr(kept, name, _from_text(name, before))
            emptied.append(name)
    detail = {
        "kept": merge.kept_person_id,
        "merged": merge.merged_person_id,
        "restored": merge.moved,
        "fields": sorted(emptied),
    }
    _record_decision("merge_undo", merge, detail, user)
    return restored


def confirm_merge(merge: PersonMerge, user: User) -> None:
    """Make a merge final (it can no longer be undone); the caller commits."""
    if merge.status != "pending":
        raise MergeRefused(str(_l("This merge was already confirmed or undone.")))
    _decide(merge, "confirmed", user)
    # Rows added to the merged record meanwhile (a page left open) join the kept person too.
    late = rows_of(merge.merged_person_id)
    _move(late, merge.merged_person_id, merge.kept_person_id)
    db.session.expire_all()
    if late:
        merge.moved = {key: merge.moved.get(key, []) + late.get(key, []) for key in {*merge.moved, *late}}
    detail = {"kept": merge.kept_person_id, "merged": merge.merged_person_id}
    if late:
        detail["moved"] = late
    _record_decision("merge_confirm", merge, detail, user)


def merges_of(person_id: int) -> list[PersonMerge]:
    """Return the merges into a person (pending first, then the latest)."""
    stmt = sa.select(PersonMerge).where(PersonMerge.kept_person_id == person_id)
    merges = list(db.session.scalars(stmt.order_by(PersonMerge.merged_at.desc(), PersonMerge.id.desc())))
    return sorted(merges, key=lambda m: m.status != "pending")
