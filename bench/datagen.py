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
from models.vocabulary import ASSESSMENT_DIMENSIONS, CALLBACK_REASONS, STRUCTURE_DECLINE_REASONS

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
# What the team holds today, whatever the size of the history (the pages that show it stay the same):
CASELOAD = 35  # active cases per case manager (the measured one is case_manager0)
WAITING_CASES = 5
PENDING_CALLBACKS = 25  # numbers to call back (the nurses' home page lists 15 of them)
PENDING_RELAYS = 3  # relays of this week not yet acknowledged, per case manager
AGENDA_ITEMS = 8  # calls waiting for the team meeting
OPEN_TASKS = 10  # tasks the meetings gave nurses, not done yet
RUPTURE_CALLS = 2  # calls of the past week reporting a rupture about a followed person
UNMET_NEEDS = 2  # follow-ups of the past week that found an unmet need of a followed person
MEETINGS = 52 * YEARS  # one team meeting a week
CONTACTS = 3  # the frequent caller's carers


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
            calls=calls,
            persons=max(calls // 5, 1000),
            referrals=calls // 20,
            cases=max(calls // 100, 10),
            followups=calls // 10,
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
    manager_email: str = "case_manager0@bench.invalid"
    carer_phone: str = ""  # one of the frequent caller's carers, who calls about her
    answer_referral_id: int = 0  # a referral still waiting for its structure's answer
    answer_structure_id: int = 0


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
                    "phone": _phone(900_000 + uid) if role == "case_manager" else None,
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
    # The newest calls include RUPTURE_CALLS of the past week about followed persons (chosen below).
    ruptures = list(range(sizes.calls - RUPTURE_CALLS, sizes.calls))
    for n, i in enumerate(ruptures):
        times[i] = max(times[i], now - dt.timedelta(days=RUPTURE_CALLS + 1 - n))
        routes[i] = "information"
        while person_of[i] == 1:
            j = rng.randrange(sizes.calls - RUPTURE_CALLS)
            person_of[i], person_of[j] = person_of[j], person_of[i]

    # Cases: the team's open ones (the same number at every size: CASELOAD per case manager, a few
    # waiting) on the newest case-management calls, the closed ones (the history) on older calls. A
    # young helpline has too few case-management calls for the team's caseload: information calls
    # become case-management calls then. The frequent caller has one active case, with the measured
    # case manager.
    open_count = CASELOAD * len(managers) + WAITING_CASES
    case_count = open_count + max(sizes.cases - open_count, 10)
    theirs = [i for i in range(sizes.calls) if person_of[i] != 1 and i not in ruptures]
    candidates = [i for i in theirs if routes[i] == "case_management"]
    if len(candidates) < case_count - 1:
        spare = [i for i in theirs if routes[i] == "information"]
        for i in rng.sample(spare, case_count - 1 - len(candidates)):
            routes[i] = "case_management"
        candidates = [i for i in theirs if routes[i] == "case_management"]
    chosen = sorted(rng.sample(candidates, case_count - 1))
    frequent_case_call = max(i for i in range(sizes.calls) if person_of[i] == 1)
    routes[frequent_case_call] = "case_management"
    closed_calls, open_calls = chosen[: -(open_count - 1)], chosen[-(open_count - 1) :]
    waiting_calls = open_calls[-WAITING_CASES:]
    active_calls = [frequent_case_call] + open_calls[:-WAITING_CASES]
    manager_of = [
        managers[0] if k < CASELOAD else managers[1 + (k - CASELOAD) % (len(managers) - 1)]
        for k in range(len(active_calls))
    ]
    # The relays of this week (PENDING_RELAYS per case manager, on her 2nd, 3rd… active cases) are
    # about calls the measured nurse logged: her home page lists the latest five at every size.
    relayed_calls = set()
    for manager in managers:
        theirs_now = [active_calls[k] for k in range(len(active_calls)) if manager_of[k] == manager]
        relayed_calls.update(theirs_now[1 : 1 + PENDING_RELAYS])
    used = {1}
    for i in open_calls:  # one open case per person
        while person_of[i] in used:
            person_of[i] = rng.randint(2, sizes.persons)
        used.add(person_of[i])
    for n, i in enumerate(ruptures):
        person_of[i] = person_of[active_calls[1 + n]]
    # The meeting's agenda: the AGENDA_ITEMS newest calls needing the team, about persons who have no
    # open case yet (validating one opens it); every older such call was decided.
    agenda_calls: list[int] = []
    taken = set(chosen) | set(ruptures)
    for i in reversed(theirs):
        if len(agenda_calls) == AGENDA_ITEMS:
            break
        if i not in taken and person_of[i] not in used:
            routes[i] = "case_management"
            agenda_calls.append(i)
            used.add(person_of[i])

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
                "nurse_id": nurses[0] if i in relayed_calls else nurses[cid % len(nurses)],
                "summary": summary,
                "red_flags": [],
                "autonomy_problem": criteria,
                "medical_problem": criteria,
                "support_inadequate": criteria,
                "no_coordinator_in_entourage": criteria,
                "coordination_centre_involved": False,
                "rupture_events": ["unplanned_hospitalisation"] if i in ruptures else [],
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
    today = now.date()
    coordinator = by_role["coordinator"][0]

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
            "reason": None,
            "first_contact_at": None,
        }
        for n, i in enumerate(referral_calls)
    ]
    # The frequent caller has two open referrals (one waiting, one accepted) at every size; the newest
    # referral of someone else waits for its structure's answer (the answer page's).
    frequent_referrals = [r for r in referrals if r["person_id"] == 1]
    for n, r in enumerate(reversed(frequent_referrals)):
        r["status"] = ("sent", "accepted")[n] if n < 2 else "done"
    answer_referral = next(r for r in reversed(referrals) if r["person_id"] != 1)
    answer_referral["status"] = "sent"
    events = []
    for r in referrals:
        events.append({"referral_id": r["id"], "from_status": None, "to_status": "sent", "by_id": r["created_by_id"]})
        events[-1].update(at=r["sent_at"], via=None, outcome=None, reason=None)
        if r["status"] == "sent":
            continue
        # The structure's answer (through its link, or told to the nurse), then the end of the referral.
        answered = min(r["sent_at"] + dt.timedelta(hours=rng.randint(4, 120)), now - dt.timedelta(hours=1))
        link = rng.random() < 0.6
        by = None if link else r["created_by_id"]
        first = "declined" if r["status"] == "declined" else "accepted"
        reason = rng.choice(STRUCTURE_DECLINE_REASONS) if first == "declined" else None
        events.append({"referral_id": r["id"], "from_status": "sent", "to_status": first, "by_id": by})
        events[-1].update(at=answered, via="link" if link else None, outcome=None, reason=reason)
        r.update(status_changed_at=answered, reason=reason)
        if r["status"] == "done":
            r["first_contact_at"] = answered + dt.timedelta(days=2)
            ended = min(r["sent_at"] + dt.timedelta(days=30), now - dt.timedelta(hours=1))
            events.append({"referral_id": r["id"], "from_status": "accepted", "to_status": "done", "by_id": by})
            events[-1].update(at=ended, via="link" if link else None, outcome="successful", reason=None)
            r.update(status_changed_at=ended, outcome="successful")
    writer.insert("referral", referrals)
    writer.insert("referral_event", events)

    cases = []

    def add_case(i: int, status: str, manager: int | None) -> dict:
        opened = times[i]
        assigned = None if manager is None else min(opened + dt.timedelta(days=7), now - dt.timedelta(hours=2))
        closed = None
        if status == "closed":
            closed = min(opened + dt.timedelta(days=rng.randint(60, 300)), now - dt.timedelta(days=1))
        case = {
            "id": len(cases) + 1,
            "person_id": person_of[i],
            "origin_call_id": i + 1,
            "status": status,
            "priority": "routine",
            "opened_at": opened,
            "case_manager_id": manager,
            "assigned_at": assigned,
            "closed_at": closed,
            "closure_reason": "goals_reached" if closed else None,
        }
        cases.append(case)
        return case

    for n, i in enumerate(closed_calls):
        add_case(i, "closed", managers[n % len(managers)])
    active = [add_case(i, "active", manager_of[k]) for k, i in enumerate(active_calls)]
    for i in waiting_calls:
        add_case(i, "waiting", None)
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
    _case_work(writer, rng, now, sizes.calls, cases, active, managers)

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
                "new_needs": None,
            }
            row[key] = ident
            followups.append(row)
    # The frequent caller has two pending follow-ups, in the coming weeks.
    frequent_followups = [f for f in followups if f["person_id"] == 1]
    for n, f in enumerate(frequent_followups):
        if n < len(frequent_followups) - 2:
            if f["status"] == "pending":
                f.update(status="done", attempts=1, completed_at=dt.datetime.combine(f["due_date"], dt.time(10)))
        else:
            f.update(status="pending", due_date=today + dt.timedelta(days=10 * (len(frequent_followups) - n)))
            f.update(attempts=0, completed_at=None)
    # Whatever the size of the history, the worklist holds the same DUE_TODAY follow-ups.
    for n, f in enumerate([f for f in followups if f["person_id"] != 1][-DUE_TODAY:]):
        f.update(status="pending", due_date=today - dt.timedelta(days=n % 5), attempts=0, completed_at=None)
    # UNMET_NEEDS follow-ups of the past week found a new need of a followed person.
    for n in range(UNMET_NEEDS):
        case = active[1 + RUPTURE_CALLS + n]
        done = now - dt.timedelta(days=n + 1)
        followups.append(
            {
                **followups[0],
                "id": len(followups) + 1,
                "person_id": case["person_id"],
                "referral_id": None,
                "case_id": None,
                "due_date": done.date(),
                "status": "done",
                "attempts": 1,
                "created_at": done - dt.timedelta(days=30),
                "completed_at": done,
                "new_needs": True,
            }
        )
    writer.insert("followup", followups)
    reviewed = [
        (i + 1, person_of[i], times[i], i in agenda_calls) for i in range(sizes.calls) if routes[i] == "case_management"
    ]
    carer_phone = _people_around(writer, rng, now, sizes, start, reviewed, nurses, coordinator, managers[0])
    writer.finish(indexes)
    return Landmarks(
        frequent_person_id=1,
        frequent_phone=_phone(1),
        frequent_name=" ".join(frequent_name),
        nurse_id=nurses[0],
        coordinator_id=coordinator,
        nurse_email="nurse0@bench.invalid",
        coordinator_email="coordinator0@bench.invalid",
        manager_email="case_manager0@bench.invalid",
        carer_phone=carer_phone,
        answer_referral_id=answer_referral["id"],
        answer_structure_id=answer_referral["structure_id"],
    )


def _dimensions(level: int) -> dict:
    return {d: {"difficulty": (level + n) % 4} for n, d in enumerate(ASSESSMENT_DIMENSIONS)}


def _case_work(
    writer: Writer,
    rng: random.Random,
    now: dt.datetime,
    calls: int,
    cases: list[dict],
    active: list[dict],
    managers: list[int],
) -> None:
    """Write the case managers' work: visits, service plans and their items, assessments, care
    settings, relays. Closed cases carry their history; what the active cases show today (visits and
    plan items due, reassessments, relays to acknowledge) depends only on the case's rank, not on
    the size of the history."""
    today = now.date()
    rank = {c["id"]: k for k, c in enumerate(active)}
    visits, plans, items, assessments, settings = [], [], [], [], []

    def plan(case: dict, version: int, at: dt.datetime, item_rows: list[tuple[str, dt.date]]) -> None:
        plans.append({"id": len(plans) + 1, "case_id": case["id"], "version": version, "goals": "Rester à domicile."})
        plans[-1].update(by_id=case["case_manager_id"], created_at=at)
        for status, begins in item_rows:
            items.append({"plan_id": len(plans), "need": "Aide à la toilette", "service": "Soins infirmiers"})
            items[-1].update(status=status, start_date=begins, frequency="2 × par semaine")

    for case in cases:
        if case["case_manager_id"] is None:
            continue
        assigned, manager = case["assigned_at"], case["case_manager_id"]
        setting = {"person_id": case["person_id"], "case_id": case["id"], "kind": "home", "note": ""}
        setting.update(recorded_by_id=manager, recorded_at=assigned, started_on=assigned.date(), ended_on=None)
        settings.append(setting)
        if case["status"] == "closed":
            closed = case["closed_at"]
            for days in (10, 40, 80):
                at = min(assigned + dt.timedelta(days=days), closed)
                visits.append({"case_id": case["id"], "scheduled_for": at, "done_at": at, "notes": ""})
            for day in (assigned, min(assigned + dt.timedelta(days=180), closed)):
                assessments.append({"case_id": case["id"], "assessed_on": day.date(), "by_id": manager})
                assessments[-1].update(dimensions=_dimensions(case["id"]), created_at=day)
            plan(case, 1, assigned, [("in_place", assigned.date()), ("stopped", assigned.date())])
            setting["ended_on"] = closed.date()
            continue
        k = rank[case["id"]]
        visits.append({"case_id": case["id"], "scheduled_for": assigned, "done_at": assigned, "notes": ""})
        due = now + dt.timedelta(days=k % 14 - 2, hours=2)  # 9 in 14 are due within the week (overdue included)
        visits.append({"case_id": case["id"], "scheduled_for": due, "done_at": None, "notes": ""})
        # Reassessed within six months, except one case in 40, overdue.
        assessed = today - dt.timedelta(days=200 if k % 40 == 7 else k % 150)
        assessments.append({"case_id": case["id"], "assessed_on": assessed, "by_id": manager})
        assessments[-1].update(dimensions=_dimensions(k), created_at=now)
        plan(case, 1, assigned, [("in_place", assigned.date())])
        begins = today + dt.timedelta(days=k % 30 - 2)  # one planned item in 15 overdue, one in 5 due this week
        plan(case, 2, assigned, [("in_place", assigned.date()), ("planned", begins), ("in_place", assigned.date())])
    frequent = next(c for c in active if c["person_id"] == 1)
    settings = [s for s in settings if s["case_id"] != frequent["id"]]  # she is in hospital since ten days
    hospital = {"person_id": 1, "case_id": frequent["id"], "kind": "hospital", "note": "", "ended_on": None}
    hospital.update(
        recorded_by_id=frequent["case_manager_id"], recorded_at=now, started_on=today - dt.timedelta(days=10)
    )
    settings.append(hospital)
    writer.insert("visit", visits)
    writer.insert("service_plan", plans)
    writer.insert("plan_item", items)
    writer.insert("assessment", assessments)
    writer.insert("care_setting", settings)

    # Relays: the history's acknowledged ones (one call in 50), and PENDING_RELAYS of the past week per
    # case manager, not acknowledged yet.
    closed = [c for c in cases if c["status"] == "closed"]
    taken = {c["origin_call_id"] for c in active}
    relayed = [i for i in rng.sample(range(1, calls + 1), min(calls, len(closed) * 2 + len(taken))) if i not in taken]
    relays = []
    for call_id in relayed[: len(closed) * 2]:  # a call is relayed once
        case = rng.choice(closed)
        at = case["opened_at"] + (case["closed_at"] - case["opened_at"]) * rng.random()
        relays.append({"call_id": call_id, "case_id": case["id"], "to_user_id": case["case_manager_id"]})
        relays[-1].update(kind="relay", created_at=at, acknowledged_at=at + dt.timedelta(hours=2))
        relays[-1]["acknowledged_by_id"] = case["case_manager_id"]
    for manager in managers:
        theirs = [c for c in active if c["case_manager_id"] == manager]
        for n, case in enumerate(theirs[1 : 1 + PENDING_RELAYS]):
            at = now - dt.timedelta(days=n + 1)
            relays.append({"call_id": case["origin_call_id"], "case_id": case["id"], "to_user_id": manager})
            relays[-1].update(kind="relay", created_at=at, acknowledged_at=None, acknowledged_by_id=None)
    relays.sort(key=lambda r: r["created_at"])
    writer.insert("relay", relays)


def _people_around(
    writer: Writer,
    rng: random.Random,
    now: dt.datetime,
    sizes: Sizes,
    start: dt.datetime,
    reviewed: list[tuple[int, int, dt.datetime, bool]],
    nurses: list[int],
    coordinator: int,
    manager: int,
) -> str:
    """Write the calls to return, the persons' contacts and flags, the team meetings, their agenda,
    decisions and tasks; return the phone of one of the frequent caller's carers."""
    today = now.date()
    span = (now - start).total_seconds() - 86400 * 3

    # Callbacks: one missed call in ten was called back long ago (done or unreachable); today's
    # PENDING_CALLBACKS numbers wait, the first one the frequent caller's.
    def callback_rows():
        for n in range(sizes.calls // 10):
            missed = start + dt.timedelta(seconds=rng.random() * span)
            known = rng.random() < 0.6
            phone = _phone(rng.randint(2, sizes.persons)) if known else _phone(500_000 + rng.randrange(300_000))
            reached = rng.random() < 0.85
            yield {
                "phone_number": phone,
                "reason": rng.choice(CALLBACK_REASONS),
                "status": "done" if reached else "unreachable",
                "first_missed_at": missed,
                "last_missed_at": missed + dt.timedelta(minutes=rng.randint(0, 60)),
                "missed_count": rng.choice((1, 1, 1, 2)),
                "attempts": 0 if reached else 3,
                "closed_at": missed + dt.timedelta(hours=2),
                "closed_by_id": nurses[n % len(nurses)],
                "created_at": missed,
            }
        for n in range(PENDING_CALLBACKS):
            missed = now - dt.timedelta(minutes=20 * (PENDING_CALLBACKS - n))
            phone = _phone(1) if n == 0 else (_phone(2 + n * 37) if n % 2 else _phone(880_000 + n))
            yield {
                "phone_number": phone,
                "reason": CALLBACK_REASONS[n % len(CALLBACK_REASONS)],
                "status": "pending",
                "first_missed_at": missed,
                "last_missed_at": missed,
                "missed_count": 1,
                "attempts": n % 2,
                "closed_at": None,
                "closed_by_id": None,
                "created_at": missed,
            }

    writer.insert("callback", callback_rows())

    # Contacts: one for every other person (a carer or a professional who called), three carers for
    # the frequent caller. Flags: one person in a hundred had one (lifted), the frequent caller has one.
    def contact_rows():
        for n in range(CONTACTS):
            yield {"person_id": 1, "kind": "carer", "name": f"{FIRST_NAMES[n]} Aidant", "relation": "fille"}
            yield {"phone": _phone(850_000 + n), "may_call": True, "created_at": start, "updated_at": start}
        for pid in range(2, sizes.persons + 1, 2):
            kind = "carer" if rng.random() < 0.8 else "professional"
            yield {"person_id": pid, "kind": kind, "name": f"{rng.choice(FIRST_NAMES)} {_name(rng)}", "relation": None}
            yield {"phone": _phone(500_000 + rng.randrange(300_000)), "may_call": True}

    def merged(pairs):
        iterator = iter(pairs)
        for first in iterator:
            row = {**first, **next(iterator)}
            row.setdefault("created_at", start)
            row.setdefault("updated_at", start)
            yield row

    writer.insert("person_contact", merged(contact_rows()))
    flags = [{"person_id": 1, "kind": "hard_of_hearing", "reason": "Parler lentement.", "set_by_id": nurses[1]}]
    flags[0].update(set_at=start, lifted_at=None, lifted_by_id=None)
    for pid in range(100, sizes.persons + 1, 100):
        flags.append({"person_id": pid, "kind": "other", "reason": "Levée.", "set_by_id": nurses[pid % len(nurses)]})
        flags[-1].update(set_at=start, lifted_at=start + dt.timedelta(days=30), lifted_by_id=nurses[0])
    writer.insert("person_flag", flags)

    # Team meetings: one a week, closed, with five attendees.
    first_meeting = today - dt.timedelta(days=7 * MEETINGS)
    meetings = [
        {
            "id": m + 1,
            "held_on": first_meeting + dt.timedelta(days=7 * m),
            "created_by_id": coordinator,
            "created_at": dt.datetime.combine(first_meeting + dt.timedelta(days=7 * m), dt.time(9)),
            "closed_at": dt.datetime.combine(first_meeting + dt.timedelta(days=7 * m), dt.time(11)),
        }
        for m in range(MEETINGS)
    ]
    writer.insert("meeting", meetings)
    attendees = [coordinator, *nurses[:3], manager]
    writer.insert("meeting_attendee", ({"meeting_id": m["id"], "user_id": u} for m in meetings for u in attendees))

    # The agenda: every call that needed the team was decided at the meeting after it (half of them
    # with a written decision), except the agenda's, still waiting.
    items, decisions = [], []
    for n, (call_id, person_id, started, pending) in enumerate(reviewed):
        meeting = min(max((started.date() - first_meeting).days // 7 + 1, 0), MEETINGS - 1)
        held = max(meetings[meeting]["closed_at"], started + dt.timedelta(hours=1))
        decided = None if pending else min(held, now - dt.timedelta(minutes=1))
        items.append({"id": n + 1, "call_id": call_id, "status": "pending" if pending else "validated"})
        items[-1].update(added_at=started, decided_at=decided, decided_by_id=None if pending else coordinator)
        if not pending and n % 2:
            decisions.append({"meeting_id": meeting + 1, "person_id": person_id, "review_item_id": n + 1})
            decisions[-1].update(decision="Orientation validée.", reason="", by_id=coordinator, created_at=decided)
    writer.insert("review_item", items)
    writer.insert("meeting_decision", decisions)

    def task_rows():
        for n in range(sizes.calls // 200):
            meeting = meetings[n % MEETINGS]
            yield {"title": "Rappeler la famille", "due_date": meeting["held_on"] + dt.timedelta(days=7)}
            yield {"assignee_id": nurses[n % len(nurses)], "meeting_id": meeting["id"], "person_id": None}
            yield {"created_at": meeting["closed_at"], "done_at": meeting["closed_at"] + dt.timedelta(days=3)}
        for n in range(OPEN_TASKS):
            yield {"title": "Appeler le médecin traitant", "due_date": today + dt.timedelta(days=n)}
            yield {"assignee_id": nurses[n % len(nurses)], "meeting_id": MEETINGS, "person_id": None}
            yield {"created_at": meetings[-1]["closed_at"], "done_at": None}

    def tasks():
        iterator = iter(task_rows())
        for first in iterator:
            yield {**first, **next(iterator), **next(iterator), "created_by_id": coordinator}

    writer.insert("task", tasks())
    return _phone(850_000)
