"""Fixtures of the case-management tests: staff, and switching the logged-in user."""

from __future__ import annotations

import pytest
from cases_support import PASSWORD, make_user

from models import User


@pytest.fixture
def switch_to(client):
    """Log the client out and in again as another user."""

    def switch(user: User) -> User:
        client.post("/logout")
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return switch


@pytest.fixture
def staff(app):
    """Return a nurse, two case managers and a coordinator."""
    return {
        "nurse": make_user("nurse", name="Inès Test"),
        "cm1": make_user("case_manager", name="Camille Test"),
        "cm2": make_user("case_manager", name="Dominique Test"),
        "coordinator": make_user("coordinator", name="Claude Test"),
    }
