"""Steps of the browser scenario, written against the real pages (French interface)."""

from __future__ import annotations

import re

# Every visible form control must have an accessible name from a label (for=, wrapping) or aria-label.
UNLABELLED_FIELDS_JS = """() => {
  const missing = [];
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden' || el.type === 'submit' || el.type === 'button') continue;
    const byFor = el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]');
    const wrapped = el.closest('label');
    const aria = (el.getAttribute('aria-label') || '').trim() || el.getAttribute('aria-labelledby');
    if (!byFor && !wrapped && !aria) missing.push(el.name || el.id || el.outerHTML.slice(0, 60));
  }
  return missing;
}"""


CRITERIA = ("autonomy_problem", "medical_problem", "support_inadequate", "no_coordinator_in_entourage")


def fill_new_person_call(
    page, first_name: str, last_name: str, phone: str, postcode: str = "4020", topic: str = "carer_support"
) -> None:
    """Fill the call page for a carer calling about a new person (synthetic details)."""
    page.fill("#caller_phone", phone)
    page.check("input[name=caller_type][value=carer]")
    page.fill("#caller_name", "Paul Appelant")
    page.fill("#caller_relation", "fils")
    page.fill("#first_name", first_name)
    page.fill("#last_name", last_name)
    page.fill("#birth_date", "1941-03-02")
    page.fill("#postcode", postcode)
    page.select_option("#lives_alone", "yes")
    page.select_option("#consent", "yes")
    page.check(f"input[name=topics][value={topic}]")
    page.fill("#summary", "Fils épuisé, sa mère vit seule et ne s'en sort plus.")


def save_call(page) -> int:
    """Save the call and return its id (from the page it lands on)."""
    navigate(page, page.locator("button[name=action][value=save]"))
    if not re.search(r"/calls/\d+$", page.url):
        raise AssertionError(f"the call was not saved: {page.locator('main').inner_text()[:800]}")
    return int(page.url.rsplit("/", 1)[1])


def unlabelled_fields(page) -> list[str]:
    """Return the visible form fields of the page that have no label."""
    return page.evaluate(UNLABELLED_FIELDS_JS)


def navigate(page, locator) -> None:
    """Click a link or a submit button and wait until the page it leads to has loaded."""
    with page.expect_navigation():
        locator.click()


def followups_of(app, **origin) -> list:
    """Return the (id, due date, status) of the follow-ups of a referral or a case, in due order."""
    import sqlalchemy as sa

    from models import FollowUp, db

    with app.app_context():
        column = getattr(FollowUp, next(iter(origin)))
        rows = db.session.execute(
            sa.select(FollowUp.id, FollowUp.due_date, FollowUp.status)
            .where(column == next(iter(origin.values())))
            .order_by(FollowUp.due_date)
        ).all()
        db.session.remove()
    return [tuple(row) for row in rows]
