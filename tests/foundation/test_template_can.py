"""Templates ask `can("area.endpoint")`, which answers from the permission matrix."""

import pytest
from flask_login import login_user, logout_user

from helpline import permissions
from support import make_user

ROLES = ("nurse", "case_manager", "coordinator", "admin")


@pytest.mark.parametrize("role", ROLES)
def test_can_in_templates_agrees_with_the_permission_matrix(app, role):
    user = make_user(role)
    template = app.jinja_env.from_string("{{ can(endpoint) }}")
    endpoints = sorted({rule.endpoint for rule in app.url_map.iter_rules()})
    with app.test_request_context():
        login_user(user)
        for endpoint in endpoints:
            expected = permissions.is_public(endpoint) or role in permissions.roles_for(endpoint)
            assert template.render(endpoint=endpoint) == str(expected), endpoint


def test_can_names_the_question_not_the_role(app):
    coordinator, nurse = make_user("coordinator"), make_user("nurse")
    template = app.jinja_env.from_string('{{ can("cases.assign") }} {{ can(user, "cases.assign") }}')
    with app.test_request_context():
        login_user(coordinator)
        assert template.render(user=nurse) == "True False"  # the older two-argument form still works
    with app.test_request_context():
        logout_user()
        assert app.jinja_env.from_string('{{ can("cases.assign") }}').render() == "False"  # anonymous
