"""Error messages name their field, and the summary at the top of a refused form links to each field."""

import re

from support import call_form


def test_a_refused_call_lists_each_error_with_its_field_and_a_link_to_it(client, login_as):
    login_as("nurse")
    response = client.post("/calls/new", data={**call_form(), "postcode": "", "topics": [], "action": "save"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    summary = re.search(
        r'<div class="error-summary" id="error-summary" role="alert" tabindex="-1".*?</div>', page, re.S
    )
    assert summary is not None
    links = dict(re.findall(r'<a href="#([\w-]+)">([^<]+)</a>', summary.group(0)))
    assert links["postcode"].startswith("Code postal : ")
    assert links["topics"] == "Thématiques : Cochez au moins une thématique."
    inline = re.search(r'<p class="error" id="postcode-error">([^<]+)</p>', page).group(1)
    assert inline.startswith("Code postal : ") and inline != "Ce champ est requis."
