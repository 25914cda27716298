"""Clinical labels say what they mean: the 4th CNSA criterion reads as the lack it records."""

import sqlalchemy as sa

from helpline.cases.handoffs import prefill_from_call
from models import Call, db

MEANING = "Aucun proche ne peut coordonner les réponses"
OPPOSITE = "Personne dans l'entourage pour coordonner les réponses"  # read as "someone around to coordinate"


def test_the_fourth_criterion_reads_as_its_meaning_on_the_form_the_call_and_the_handoff_note(
    client, login_as, log_call
):
    login_as("nurse")
    form = client.get("/calls/new").get_data(as_text=True)
    assert MEANING in form and OPPOSITE not in form
    assert log_call(no_coordinator_in_entourage="y", autonomy_problem="y").status_code == 302
    call = db.session.scalar(sa.select(Call))
    assert call.no_coordinator_in_entourage
    with client.application.test_request_context(headers={"Accept-Language": "fr"}):
        note = prefill_from_call(call)
    assert f"- {MEANING}" in note["assessment"] and OPPOSITE not in note["assessment"]


def test_the_rules_page_says_each_outcome_in_words_not_raw_data(client, login_as):
    login_as("coordinator")
    page = client.get("/triage/rules").get_data(as_text=True)
    assert '{"' not in page and "follow_up_days" not in page and "categories_from_topics" not in page
    assert "Orientation : Urgence (112)" in page and "Appels de suivi à 30, 182 jours" in page
    assert "s'applique à : Structure externe" in page
