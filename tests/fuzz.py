"""`make fuzz`: random inputs thrown at the triage command, the live preview, the call form and the
signed Twilio webhooks, counting tracebacks and 5xx answers (both must be 0).

    python tests/fuzz.py [--examples 10000] [--only triage,preview,form,webhooks] [--database URL]

Unlike the property tests (which CI replays derandomized), every run draws new inputs. A finding
becomes a regression test (or an @example) before it is fixed. Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from twilio.request_validator import RequestValidator  # noqa: E402

from helpline import create_app  # noqa: E402
from models import db  # noqa: E402
from support import PASSWORD, call_form, make_user, migrate, migrated_postgres_database  # noqa: E402
from triage_rules.cli import run as triage_run  # noqa: E402

AUTH_TOKEN = "fuzz-auth-token"
VALID = {
    "caller": {"type": "carer"},
    "person": {"postcode": "4020", "consent": True, "age": 84, "lives_alone": True},
    "request": {"topics": ["carer_support"], "summary": "Fils épuisé"},
    "red_flags": [],
    "complexity": {
        "autonomy_problem": True,
        "medical_problem": False,
        "support_inadequate": True,
        "no_coordinator_in_entourage": False,
        "coordination_centre_involved": False,
        "professionals_involved": 1,
        "rupture_events": [],
    },
}
ODD_TEXT = [
    "",
    " ",
    "0",
    "-1",
    "²",
    "٤٠٢٠",
    "99999999999",
    "9" * 5000,
    "1e308",
    "NaN",
    "\x00",
    "<script>",
    "2024-02-30",
    "31/12/1999",
    "+32470000000",
    "carer",
    "chest_pain",
    "4020",
    "yes",
    "x" * 70_000,
]
text = st.one_of(st.text(max_size=40), st.sampled_from(ODD_TEXT))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), text)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)),
    max_leaves=12,
)
nested = st.builds(
    lambda depth, opener: opener * depth + "]" * depth if opener == "[" else '{"a":' * depth + "1" + "}" * depth,
    st.integers(1, 200_000),
    st.sampled_from(["[", "{"]),
)


def _document(parts) -> bytes:
    kind, value = parts
    if kind == "json":
        import json

        return json.dumps(value, allow_nan=True).encode()
    if kind == "mutated":
        import json

        request = {**VALID, **value}
        return json.dumps(request, allow_nan=True).encode()
    if kind == "nested":
        return ('{"person": ' + value + "}").encode()
    return value  # raw bytes


triage_inputs = st.one_of(
    st.tuples(st.just("json"), json_values),
    st.tuples(st.just("mutated"), st.dictionaries(st.sampled_from(list(VALID) + ["extra"]), json_values, max_size=3)),
    st.tuples(st.just("nested"), nested),
    st.tuples(st.just("raw"), st.binary(max_size=200)),
)

FORM_FIELDS = [
    "direction",
    "started_at",
    "duration_minutes",
    "channel",
    "caller_phone",
    "caller_type",
    "caller_professional_role",
    "first_name",
    "last_name",
    "birth_date",
    "age",
    "postcode",
    "person_phone",
    "lives_alone",
    "consent",
    "consent_date",
    "topics",
    "red_flags",
    "rupture_events",
    "professionals_involved",
    "summary",
    "route",
    "override_reason",
    "prisma7_1",
    "person_id",
    "draft_id",
    "action",
    "csrf_token",
]
form_changes = st.dictionaries(
    st.sampled_from(FORM_FIELDS), st.one_of(text, st.lists(text, max_size=3)), min_size=1, max_size=8
)
WEBHOOKS = [
    "/twilio/voice",
    "/twilio/queue/wait",
    "/twilio/queue/leave",
    "/twilio/status",
    "/twilio/nurse",
    "/twilio/nurse/bridged",
    "/twilio/nurse/after",
    "/twilio/voicemail",
    "/twilio/conference/{id}/events",
    "/twilio/transfer/{id}/case-manager",
    "/twilio/transfer/{id}/no-answer",
    "/twilio/followups/{id}/bridge",
    "/twilio/followups/{id}/result",
]
TWILIO_PARAMS = [
    "CallSid",
    "From",
    "To",
    "Direction",
    "CallStatus",
    "CallDuration",
    "QueueResult",
    "QueueTime",
    "DequeingCallSid",
    "RecordingSid",
    "RecordingUrl",
    "RecordingDuration",
    "ConferenceSid",
    "FriendlyName",
    "StatusCallbackEvent",
    "ParticipantLabel",
    "DialCallStatus",
    "DialCallDuration",
    "AccountSid",
    "Digits",
    "AnsweredBy",
]
webhook_calls = st.tuples(
    st.sampled_from(WEBHOOKS),
    st.one_of(st.integers(1, 3).map(str), text),
    st.dictionaries(st.sampled_from(TWILIO_PARAMS), text, max_size=8),
)


class Tally:
    """Outcomes of one target: answers by status (or exit code) and the first tracebacks."""

    def __init__(self, name: str):
        self.name, self.outcomes, self.failures, self.started = name, Counter(), [], time.monotonic()

    def failed(self, what: str, detail: str) -> None:
        self.outcomes[what] += 1
        if len(self.failures) < 3:
            self.failures.append(detail)

    def report(self) -> str:
        seconds = time.monotonic() - self.started
        total = sum(self.outcomes.values())
        bad = self.outcomes["traceback"] + sum(n for k, n in self.outcomes.items() if k.startswith("5"))
        lines = [
            f"{self.name}: {total} inputs in {seconds:.0f} s, {self.outcomes['traceback']} tracebacks, "
            f"{sum(n for k, n in self.outcomes.items() if k.startswith('5'))} 5xx  "
            f"({', '.join(f'{k}: {n}' for k, n in sorted(self.outcomes.items()))})"
        ]
        lines += [f"  --- {detail}" for detail in self.failures]
        return "\n".join(lines) if bad or self.failures else lines[0]


def _explore(n: int):
    return settings(
        max_examples=n, deadline=None, database=None, derandomize=False, suppress_health_check=list(HealthCheck)
    )


class _Stdin:
    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


def fuzz_triage(n: int) -> Tally:
    tally = Tally("helpline triage")

    @_explore(n)
    @given(triage_inputs)
    def one(parts):
        data = _document(parts)
        out, err = io.StringIO(), io.StringIO()
        try:
            status = triage_run(["-"], out, err, stdin=_Stdin(data))
        except BaseException:  # noqa: B036 - a traceback is exactly what is counted
            tally.failed("traceback", f"{data[:120]!r}\n{traceback.format_exc(limit=-3)}")
            return
        if status not in (0, 2) or (status == 2 and not err.getvalue().startswith("triage: ")):
            tally.failed(f"exit {status}", f"{data[:120]!r}: {err.getvalue()[:300]}")
        else:
            tally.outcomes[f"exit {status}"] += 1

    one()
    return tally


def _web(app, name: str, n: int, strategy, send) -> Tally:
    tally = Tally(name)

    @_explore(n)
    @given(strategy)
    def one(value):
        try:
            with app.app_context():
                response = send(value)
        except BaseException:  # noqa: B036
            tally.failed("traceback", f"{value!r:.300}\n{traceback.format_exc(limit=-4)}")
            return
        finally:
            with app.app_context():
                db.session.remove()
        code = str(response.status_code)
        if code.startswith("5") or "Traceback" in response.get_data(as_text=True):
            tally.failed(code if code.startswith("5") else "traceback", f"{value!r:.300} -> {code}")
        else:
            tally.outcomes[code] += 1

    one()
    return tally


def _logged_in_client(app):
    client = app.test_client()
    with app.app_context():
        user = make_user("nurse")
        email = user.email
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, "the fuzz nurse could not log in"
    return client


def fuzz_web(url: str, n: int, only: set[str]) -> list[Tally]:
    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": url,
            "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_PHONE_NUMBER": "+3225550000",
            "TWILIO_API_BASE_URL": "http://127.0.0.1:9",
            "VOICEMAIL_ENABLED": True,
            "RATELIMIT_ENABLED": False,
        }
    )
    tallies = []
    client = _logged_in_client(app)

    def form_post(path):
        def send(changes):
            data = call_form(action="preview")
            data.update(changes)
            response = client.post(path, data=data)
            if response.status_code in (302, 303):  # a browser follows it and shows the flash; drop it instead
                with client.session_transaction() as session:
                    session.pop("_flashes", None)
            return response

        return send

    if "preview" in only:
        tallies.append(_web(app, "POST /triage/preview", n, form_changes, form_post("/triage/preview")))
    if "form" in only:
        tallies.append(_web(app, "POST /calls/new", n, form_changes, form_post("/calls/new")))
    if "webhooks" in only:
        twilio = app.test_client()
        validator = RequestValidator(AUTH_TOKEN)

        def signed(call):
            path, ident, params = call
            path = path.replace("{id}", ident) if "{id}" in path else path
            url_path = "/" + path.lstrip("/")
            signature = validator.compute_signature(f"http://localhost{url_path}", params)
            return twilio.post(url_path, data=params, headers={"X-Twilio-Signature": signature})

        tallies.append(_web(app, "Twilio webhooks (signed)", n, webhook_calls, signed))
    return tallies


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000, help="inputs per target (default 10,000)")
    parser.add_argument("--only", default="triage,preview,form,webhooks")
    parser.add_argument(
        "--database",
        default=os.environ.get("TEST_DATABASE_URL", ""),
        help="a PostgreSQL server URL (default: a temporary SQLite file)",
    )
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    tallies = []
    if "triage" in only:
        tallies.append(fuzz_triage(args.examples))
        print(tallies[-1].report(), flush=True)
    if only & {"preview", "form", "webhooks"}:
        with contextlib.ExitStack() as stack:
            if args.database.startswith("postgres"):
                url = stack.enter_context(migrated_postgres_database(args.database, "helpline_fuzz"))
            else:
                folder = stack.enter_context(tempfile.TemporaryDirectory())
                url = f"sqlite:///{folder}/fuzz.db"
                migrate(url)
            for tally in fuzz_web(url, args.examples, only):
                tallies.append(tally)
                print(tally.report(), flush=True)
    bad = sum(t.outcomes["traceback"] + sum(n for k, n in t.outcomes.items() if k.startswith("5")) for t in tallies)
    bad += sum(n for t in tallies for k, n in t.outcomes.items() if k == "exit 1")
    print(
        f"fuzz: {'FAILED' if bad else 'ok'}: {bad} tracebacks, 5xx or exit 1 in "
        f"{sum(sum(t.outcomes.values()) for t in tallies)} inputs"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
