"""Fixtures of the referrals tests: a small directory and an external call to refer."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from models import Call, Structure, db


def add_structure(name: str, category: str, postcodes: list[str], status: str = "active") -> Structure:
    """Create a structure of the directory."""
    structure = Structure(
        name=name,
        category=category,
        status=status,
        description="",
        services=[],
        phone="+32470999601",
        email="accueil@demo.invalid",
    )
    structure.postcodes = postcodes
    db.session.add(structure)
    db.session.commit()
    return structure


@pytest.fixture
def directory():
    """Return structures of the carer-support category around 4020, and one of another category."""
    return {
        "local": add_structure("Répit Local", "carer_support", ["4020"]),
        "wide": add_structure("Aidants Région", "carer_support", [f"{n}" for n in range(4000, 4100)]),
        "far": add_structure("Aidants Lointains", "carer_support", ["4600"]),
        "closed": add_structure("Aidants Fermés", "carer_support", ["4020"], status="inactive"),
        "transport": add_structure("Transport Démo", "transport_service", ["4020"]),
    }


@pytest.fixture
def external_call(login_as, log_call):
    """Log, as a nurse, an external call about carer support for a person in 4020; return it."""
    nurse = login_as("nurse")
    response = log_call()
    assert response.status_code == 302, response.get_data(as_text=True)
    call = db.session.scalar(sa.select(Call).order_by(Call.id.desc()))
    assert call.route == "external" and call.categories == ["carer_support"]
    call.nurse_user = nurse
    return call
