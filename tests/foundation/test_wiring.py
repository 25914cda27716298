"""Explicit wiring: each app holds its own menu and panels; nothing is appended at start-up."""

import sqlalchemy as sa

from helpline import create_app, navigation, permissions
from models import Call, ReviewItem, db

TWILIO = {
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "TWILIO_AUTH_TOKEN": "token-for-tests",
    "TWILIO_PHONE_NUMBER": "+3225550000",
    "MAIL_SERVER": "smtp.example",
}
ALL_CRITERIA = {
    "autonomy_problem": "y",
    "medical_problem": "y",
    "support_inadequate": "y",
    "no_coordinator_in_entourage": "y",
}


def _other_app(app, **settings):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], **settings})


def _endpoints(app):
    return [entry.endpoint for entry in app.extensions["navigation"].menu]


def test_each_app_has_its_own_menu_from_its_own_settings(app):
    before = _endpoints(app)
    with_twilio = _other_app(app, **TWILIO)
    console_again = _other_app(app)

    assert "telephony.console" in before and "mail.console" in before
    assert "telephony.console" not in _endpoints(with_twilio)
    assert "mail.console" not in _endpoints(with_twilio)
    assert _endpoints(app) == before == _endpoints(console_again)  # nothing leaked or duplicated
    assert before == [entry.endpoint for entry in navigation.MENU]
    assert len(set(before)) == len(before)


def test_the_menu_shown_is_the_requests_app(app):
    with_twilio = _other_app(app, **TWILIO)
    with with_twilio.test_request_context():
        assert "telephony.console" not in [e.endpoint for e in with_twilio.extensions["navigation"].menu]
    with app.test_request_context():
        assert app.extensions["navigation"].menu[-1].endpoint == "admin.settings"


def test_panels_are_declared_once_and_cannot_be_appended_to(app):
    _other_app(app)
    nav = app.extensions["navigation"]
    assert nav.home_panels == navigation.HOME_PANELS
    assert [p.template for p in nav.home_panels][:2] == ["telephony/_home_callbacks.html", "followups/_home_panel.html"]
    assert app.jinja_env.globals["call_panels"] == (
        "referrals/_call_panel.html",
        "telephony/_call_panel.html",
        "cases/_call_panel.html",
    )
    assert isinstance(permissions.PUBLIC_ENDPOINTS, frozenset)
    assert permissions.WEBHOOK_ENDPOINTS <= permissions.PUBLIC_ENDPOINTS


def test_saving_a_call_runs_each_area_once_whatever_the_number_of_apps(app, login_as, log_call):
    _other_app(app)
    _other_app(app, **TWILIO)
    login_as("nurse")
    response = log_call(route="case_management", **ALL_CRITERIA)
    assert response.status_code == 302, response.get_data(as_text=True)
    call = db.session.scalar(sa.select(Call).order_by(Call.id.desc()))
    assert call.team_review
    items = db.session.scalars(sa.select(ReviewItem).where(ReviewItem.call_id == call.id)).all()
    assert len(items) == 1
