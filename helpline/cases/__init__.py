"""Case management: warm handoffs, caseloads, visits, assessments, service plans and closure."""
from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")
