"""Fixtures of the meeting tests: calls that need the team, logged by a nurse."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from models import Call, db

ALL_CRITERIA = {
    "autonomy_problem": "y",
    "medical_problem": "y",
    "support_inadequate": "y",
    "no_coordinator_in_entourage": "y",
}


@pytest.fixture
def nurse(login_as):
    """Log in as a helpline nurse."""
    return login_as("nurse", name="Inès Infirmière")


@pytest.fixture
def logged(log_call, nurse):
    """Log a call with form overrides and return it."""
    names = iter(("Premier", "Deuxième", "Troisième", "Quatrième"))

    def post(**overrides) -> Call:
        overrides.setdefault("last_name", next(names))
        response = log_call(**overrides)
        assert response.status_code == 302, response.get_data(as_text=True)
        return db.session.scalar(sa.select(Call).order_by(Call.id.desc()))

    return post


@pytest.fixture
def case_management_call(logged):
    """Log a call the triage sends to case management (four criteria, consent, in the area)."""
    call = logged(route="case_management", **ALL_CRITERIA)
    assert call.route == "case_management" and call.team_review
    return call
