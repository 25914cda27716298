"""Case management: warm handoffs, caseloads, visits, assessments, service plans and closure."""

from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")

from . import continuity_routes, course_routes, handoff_routes, plan_routes, relay_routes, routes  # noqa: E402,F401
