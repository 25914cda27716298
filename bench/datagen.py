"""Fill a migrated helpline database with synthetic years of activity, fast.

Rows are generated in Python from a seeded RNG and written with executemany (SQLite) or COPY
(PostgreSQL). Columns come from the reflected schema, so a NOT NULL column another area adds in a
migration is filled with a neutral value instead of breaking the load. Names, phones and notes are
invented; postcodes are plain four-digit codes.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from helpline.persons.service import name_key

SYLLABLES = (
    "ba",
    "ber",
    "co",
    "dal",
    "de",
    "fa",
    "gor",
    "lan",
    "le",
    "mo",
    "nar",
    "pel",
    "ri",
    "sau",
    "ter",
    "tho",
    "val",
    "ven",
    "vi",
    "zin",
)
FIRST_NAMES = (
    "Alvine",
    "Bertrande",
    "Cyrelle",
    "Damiel",
    "Edmonde",
    "Firmin",
    "Gisèle",
    "Hortan",
    "Irène",
    "Joris",
    "Léonce",
    "Marcelline",
    "Norbert",
    "Odilon",
    "Paulette",
    "Quirin",
    "Rosane",
    "Sidonie",
    "Théodric",
    "Ursule",
    "Valère",
    "Wivine",
    "Yolin",
    "Zélie",
)
POSTCODES = (
    tuple(str(p) for p in range(1000, 1300, 3))
    + tuple(str(p) for p in range(4000, 4100, 2))
    + tuple(str(p) for p in range(5000, 5100, 4))
    + tuple(str(p) for p in range(6000, 6100, 5))
)
TOPICS = (
    "care",
    "home_help",
    "hospital_discharge",
    "rights",
    "administrative",
    "financial",
    "housing",
    "transport",
    "carer_support",
    "mental_health",
    "palliative",
    "isolation",
    "medical_question",
    "information",
)
CATEGORIES = (
    "home_care_coordination",
    "social_service",
    "housing_service",
    "transport_service",
    "carer_support",
    "mental_health_service",
    "palliative_care",
    "social_link",
    "general_practitioner",
)
ROUTES = ("information",) * 50 + ("external",) * 38 + ("case_management",) * 10 + ("emergency",) * 2
SUMMARY_WORDS = (
    "aide",
    "domicile",
    "fatigue",
    "sortie",
    "hôpital",
    "famille",
    "repas",
    "transport",
    "soins",
    "démarches",
    "isolement",
    "mutuelle",
    "kiné",
    "infirmière",
    "répit",
    "nuit",
    "chute",
    "voisin",
)
FREQUENT_CALLER_CALLS = 150
DUE_TODAY = 20  # follow-ups due today or overdue: a day's work, not a share of the history
SENT_HANDOFFS = 5  # handoffs the measured nurse sent (her home page lists the latest five)
YEARS = 5


@dataclass(frozen=True)
class Sizes:
    """How many rows of each kind to generate."""

    calls: int
    persons: int
    referrals: int
    cases: int
    followups: int

    @classmethod
    def scaled(cls, calls: int) -> Sizes:
        """Return the national helpline's proportions for a number of calls."""
        return cls(
            calls=calls, persons=calls // 5, referrals=calls // 20, cases=max(calls // 100, 10), followups=calls // 10
        )


@dataclass(frozen=True)
class Landmarks:
    """Known rows the benchmark reads: a frequent caller, their phone and name, a nurse."""

    frequent_person_id: int
    frequent_phone: str
    frequent_name: str
    nurse_id: int
    coordinator_id: int
    nurse_email: str
    coordinator_email: str


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3)))).capitalize()


def _phone(n: int) -> str:
    return f"+32470{n:06d}"  # synthetic Belgian mobile numbers in E.164, as the app stores them


class Writer:
    """Bulk-insert rows into the reflected tables of one database."""

    def __init__(self, engine: sa.Engine, metadata: sa.MetaData):
        self.engine, self.metadata = engine, metadata
        self.postgres = engine.dialect.name == "postgresql"

    def _filler(self, column: sa.Column) -> Any:
        """Return a neutral value for a NOT NULL column the generator does not know."""
        kind = type(column.type).__name__.lower()
        if "bool" in kind:
            return False
        if "int" in kind or "numeric" in kind or "float" in kind:
            return 0
        if "datetime" in kind or "timestamp" in kind:
            return dt.datetime(2020, 1, 1)
        if kind == "date":
            return dt.date(2020, 1, 1)
        if "json" in kind:
            return []
        return ""

    def _sqlite_value(self, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite storage format
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, (list, dict)):
            return json.dumps(value)
        return value

    def _pg_value(self, value: Any) -> Any:
        return json.dumps(value) if isinstance(value, (list, dict)) else value

    def insert(self, table_name: str, rows: Iterable[dict[str, Any]], chunk: int = 20_000) -> int:
        """Insert dict rows into a table; return how many."""
        table = self.metadata.tables[table_name]
        iterator = iter(rows)
        first = next(iterator, None)
        if first is None:
            return 0
        given = list(first)
        extra = [
            c
            for c in table.columns
            if c.name not in given
            and not c.nullable
            and c.server_default is None
            and not (c.primary_key and c.autoincrement in (True, "auto"))
        ]
        names = given + [c.name for c in extra]
        fillers = [self._filler(c) for c in extra]

        def tuples() -> Iterator[tuple]:
            convert = self._pg_value if self.postgres else self._sqlite_value
            for row in _chain(first, iterator):
                yield tuple(convert(row[n]) for n in given) + tuple(convert(f) for f in fillers)

        quoted = ", ".join(f'"{n}"' for n in names)
        count = 0
        raw = self.engine.raw_connection()
        try:
            cur = raw.cursor()
            if not self.postgres:
                cur.execute("PRAGMA synchronous=OFF")
            if self.postgres:
                with cur.copy(f'COPY "{table_name}" ({quoted}) FROM STDIN') as copy:
                    for values in tuples():
                        copy.write_row(values)
                        count += 1
            else:
                sql = f'INSERT INTO "{table_name}" ({quoted}) VALUES ({", ".join("?" * len(names))})'
                batch: list[tuple] = []
                for values in tuples():
                    batch.append(values)
                    if len(batch) >= chunk:
                        cur.executemany(sql, batch)
                        count += len(batch)
                        batch.clear()
                if batch:
                    cur.executemany(sql, batch)
                    count += len(batch)
            raw.commit()
        finally:
            raw.close()
        return count

    def drop_indexes(self) -> list[sa.Index]:
        """Drop the secondary indexes (loading without them and building them once is much faster)."""
        dropped = [
            index
            for table in self.metadata.tables.values()
            for index in table.indexes
            if index.name and not index.unique
        ]
        with self.engine.begin() as conn:
            for index in dropped:
                index.drop(conn)
        return dropped

    def finish(self, indexes: list[sa.Index]) -> None:
        """Rebuild the indexes, move the id sequences past the inserted ids, refresh the statistics."""
        with self.engine.begin() as conn:
            for index in indexes:
                index.create(conn)
        with self.engine.begin() as conn:
            if self.postgres:
                for table in self.metadata.tables.values():
                    if "id" in table.columns and table.columns["id"].primary_key:
                        conn.execute(
                            sa.text(
                                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                                f'COALESCE((SELECT max(id) FROM "{table.name}"), 0) + 1, false)'
                            )
                        )
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("ANALYZE"))


def _chain(first, rest):
    yield first
    yield from rest


def generate(
    engine: sa.Engine, sizes: Sizes, seed: int = 7, now: dt.datetime | None = None, password_hash: str = "x"
) -> Landmarks:
    """Fill an empty migrated database with synthetic data of the given sizes."""
    rng = random.Random(seed)
    now = (now or dt.datetime.now(dt.UTC)).replace(tzinfo=None, microsecond=0)
    metadata = sa.MetaData()
    metadata.reflect(engine)
    writer = Writer(engine, metadata)
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    indexes = writer.drop_indexes()

    users = [("nurse", 30), ("case_manager", 12), ("coordinator", 2)]
    user_rows, uid = [], 0
    by_role: dict[str, list[int]] = {}
    for role, count in users:
        for i in range(count):
            uid += 1
            by_role.setdefault(role, []).append(uid)
            user_rows.append(
                {
                    "id": uid,
                    "email": f"{role}{i}@bench.invalid",
                    "name": f"{role.title()} {i}",
                    "password_hash": password_hash,
                    "roles": role,
                    "active": True,
                    "capacity": 40,
                    "monthly_intake": 5,
                    "created_at": now,
                }
            )
    writer.insert("user", user_rows)
    nurses, managers = by_role["nurse"], by_role["case_manager"]

    structures = 300
    writer.insert(
        "structure",
        (
            {
                "id": i,
                "name": f"Service {_name(rng)} {i}",
                "category": CATEGORIES[i % 9],
                "description": "",
                "services": [],
                "status": "active",
                "created_at": now,
                "updated_at": now,
                "postal_code": rng.choice(POSTCODES),
            }
            for i in range(1, structures + 1)
        ),
    )
    writer.insert(
        "structure_postcode",
        ({"structure_id": s, "postcode": p} for s in range(1, structures + 1) for p in rng.sample(POSTCODES, 12)),
    )

    start = now - dt.timedelta(days=365 * YEARS)
    span = (now - start).total_seconds() - 3600
    frequent_name = ("Fréquentin", "Odilon")

    def person_rows():
        for pid in range(1, sizes.persons + 1):
            first, last = (frequent_name[1], frequent_name[0]) if pid == 1 else (rng.choice(FIRST_NAMES), _name(rng))
            yield {
                "id": pid,
                "first_name": first,
                "last_name": last,
                "first_name_key": name_key(first),
                "last_name_key": name_key(last),
                "birth_date": dt.date(1925, 1, 1) + dt.timedelta(days=rng.randrange(27000)),
                "postcode": rng.choice(POSTCODES),
                "phone": _phone(pid),
                "lives_alone": rng.random() < 0.4,
                "created_at": start,
                "last_contact_at": now,
            }

    writer.insert("person", person_rows())
    writer.insert(
        "consent",
        (
            {
                "person_id": pid,
                "purpose": "referral",
                "granted": True,
                "given_on": start.date(),
                "recorded_by_id": nurses[pid % len(nurses)],
                "recorded_at": start,
            }
            for pid in range(1, sizes.persons + 1)
        ),
    )

    # Calls: the frequent caller's, then everyone's spread over five years, oldest first.
    times = sorted(start + dt.timedelta(seconds=rng.random() * span) for _ in range(sizes.calls))
    person_of = [1 if i < FREQUENT_CALLER_CALLS else rng.randint(2, sizes.persons) for i in range(sizes.calls)]
    rng.shuffle(person_of)
    routes = [rng.choice(ROUTES) for _ in range(sizes.calls)]

    def call_rows():
        for i in range(sizes.calls):
            cid, pid, at, route = i + 1, person_of[i], times[i], routes[i]
            caller_type = "patient" if rng.random() < 0.45 else ("carer" if rng.random() < 0.7 else "professional")
            phone = _phone(pid) if caller_type == "patient" else _phone(500_000 + rng.randrange(300_000))
            criteria = route == "case_management"
            summary = " ".join(rng.choice(SUMMARY_WORDS) for _ in range(14))
            proposal = {
                "route": route,
                "priority": "routine",
                "team_review": criteria,
                "reasons": [{"rule": route.replace("_", "-"), "text": "Règle synthétique."}],
                "ruleset": {"name": "default", "version": "1.0.0"},
            }
            yield {
                "id": cid,
                "direction": "incoming",
                "channel": "phone",
                "started_at": at,
                "duration_minutes": rng.randint(2, 40),
                "caller_phone": phone,
                "caller_type": caller_type,
                "caller_name": None if caller_type == "patient" else f"{rng.choice(FIRST_NAMES)} {_name(rng)}",
                "person_id": pid,
                "nurse_id": nurses[cid % len(nurses)],
                "summary": summary,
                "red_flags": [],
                "autonomy_problem": criteria,
                "medical_problem": criteria,
                "support_inadequate": criteria,
                "no_coordinator_in_entourage": criteria,
                "coordination_centre_involved": False,
                "rupture_events": [],
                "proposal": proposal,
                "route": route,
                "priority": "immediate" if route == "emergency" else "routine",
                "categories": [CATEGORIES[cid % 9]] if route == "external" else [],
                "follow_up_days": [30, 182] if route in ("external", "case_management") else [],
                "team_review": criteria,
                "overridden": False,
                "ruleset_name": "default",
                "ruleset_version": "1.0.0",
                "created_at": at,
                "updated_at": at,
            }

    writer.insert("call", call_rows())

    def topic_rows():
        for cid in range(1, sizes.calls + 1):
            for topic in rng.sample(TOPICS, rng.choice((1, 1, 2, 2, 3))):
                yield {"call_id": cid, "topic": topic}

    writer.insert("call_topic", topic_rows())

    external = [i for i in range(sizes.calls) if routes[i] == "external"]
    referral_calls = sorted(rng.sample(external, min(sizes.referrals, len(external))))
    case_calls = sorted(
        rng.sample(
            [i for i in range(sizes.calls) if routes[i] == "case_management"],
            min(sizes.cases, sum(r == "case_management" for r in routes)),
        )
    )
    today = now.date()

    def referral_status(sent: dt.datetime) -> str:
        age = (now - sent).days
        return "sent" if age < 7 else ("accepted" if age < 40 else rng.choice(("done",) * 8 + ("declined",)))

    referrals = [
        {
            "id": n + 1,
            "call_id": i + 1,
            "person_id": person_of[i],
            "structure_id": rng.randint(1, structures),
            "category": CATEGORIES[(i + 1) % 9],
            "message": "",
            "consent_checked": True,
            "status": referral_status(times[i]),
            "created_by_id": nurses[(i + 1) % len(nurses)],
            "sent_at": times[i],
            "status_changed_at": times[i],
            "outcome": None,
        }
        for n, i in enumerate(referral_calls)
    ]
    for r in referrals:
        if r["status"] == "done":
            r["outcome"] = "successful"
    writer.insert("referral", referrals)
    writer.insert(
        "referral_event",
        (
            {
                "referral_id": r["id"],
                "from_status": None,
                "to_status": "sent",
                "by_id": r["created_by_id"],
                "at": r["sent_at"],
            }
            for r in referrals
        ),
    )

    open_cases = min(len(managers) * 35, len(case_calls) // 2)
    cases = []
    for n, i in enumerate(case_calls):
        recent = n >= len(case_calls) - open_cases
        status = ("waiting" if n >= len(case_calls) - 5 else "active") if recent else "closed"
        closed = None if recent else min(times[i] + dt.timedelta(days=rng.randint(60, 300)), now - dt.timedelta(days=1))
        cases.append(
            {
                "id": n + 1,
                "person_id": person_of[i],
                "origin_call_id": i + 1,
                "status": status,
                "priority": "routine",
                "opened_at": times[i],
                "case_manager_id": None if status == "waiting" else managers[n % len(managers)],
                "assigned_at": None if status == "waiting" else times[i] + dt.timedelta(days=7),
                "closed_at": closed,
                "closure_reason": "goals_reached" if closed else None,
            }
        )
    writer.insert("case", cases)
    writer.insert(
        "handoff",
        (
            {
                "call_id": c["origin_call_id"],
                "case_id": c["id"],
                "from_user_id": nurses[0]
                if c["id"] > len(cases) - SENT_HANDOFFS
                else nurses[1 + c["id"] % (len(nurses) - 1)],
                "to_user_id": c["case_manager_id"],
                "situation": "Situation complexe (synthétique).",
                "background": "",
                "assessment": "",
                "recommendation": "",
                "created_at": c["opened_at"],
                "read_at": c["assigned_at"],
            }
            for c in cases
        ),
    )

    # Follow-ups at 30 and 182 days after each referral and each case closure; past ones are done,
    # a handful are due today or overdue (what a nurse's worklist really holds).
    followups = []
    sources = [("referral_id", r["id"], r["person_id"], r["sent_at"]) for r in referrals] + [
        ("case_id", c["id"], c["person_id"], c["closed_at"]) for c in cases if c["closed_at"]
    ]
    for key, ident, pid, base in sources:
        for offset in (30, 182):
            if len(followups) >= sizes.followups:
                break
            due = (base + dt.timedelta(days=offset)).date()
            status = "pending" if due > today else ("done" if rng.random() < 0.9 else "unreachable")
            row = {
                "id": len(followups) + 1,
                "person_id": pid,
                "referral_id": None,
                "case_id": None,
                "offset_days": offset,
                "due_date": due,
                "status": status,
                "attempts": 0 if status == "pending" else 1,
                "notes": "",
                "created_at": base,
                "completed_at": None if status == "pending" else dt.datetime.combine(due, dt.time(10)),
            }
            row[key] = ident
            followups.append(row)
    # Whatever the size of the history, the worklist holds the same DUE_TODAY follow-ups.
    for n, f in enumerate(followups[-DUE_TODAY:]):
        f.update(status="pending", due_date=today - dt.timedelta(days=n % 5), attempts=0, completed_at=None)
    writer.insert("followup", followups)
    writer.finish(indexes)
    return Landmarks(
        frequent_person_id=1,
        frequent_phone=_phone(1),
        frequent_name=" ".join(frequent_name),
        nurse_id=nurses[0],
        coordinator_id=by_role["coordinator"][0],
        nurse_email="nurse0@bench.invalid",
        coordinator_email="coordinator0@bench.invalid",
    )
