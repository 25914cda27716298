"""A nurse logs a call in a real browser: live triage proposal, labels, keyboard use, screenshots."""

from __future__ import annotations

from browser_steps import CRITERIA, UNLABELLED_FIELDS_JS, fill_new_person_call, save_call

from browser_support import screenshot


def test_nurse_sees_the_proposal_follow_the_criteria_and_saves_the_call(open_session):
    page = open_session("nurse")
    screenshot(page, "01-home-nurse")
    page.goto("/calls/new")
    fill_new_person_call(page, first_name="Yvette", last_name="Navigatrice", phone="0470 99 12 34")
    page.wait_for_selector('#proposal [data-route="external"]')

    for criterion in CRITERIA[:3]:
        page.check(f"#{criterion}")
    page.wait_for_timeout(400)  # three of four criteria: still an external structure
    assert page.locator("#proposal [data-route]").get_attribute("data-route") == "external"
    page.check(f"#{CRITERIA[3]}")
    page.wait_for_selector('#proposal .proposal[data-route="case_management"]')
    assert page.locator("#route").input_value() == "case_management"  # preselected, for her to confirm
    assert page.locator("#proposal .team-review").is_visible()
    screenshot(page, "02-call-case-management-proposal")

    save_call(page)
    assert "NAVIGATRICE Yvette" in page.locator("h1").inner_text()
    assert page.locator(".flash.success").count() == 1
    screenshot(page, "03-call-saved")


def test_every_field_of_the_call_page_has_a_label(open_session):
    page = open_session("nurse")
    page.goto("/calls/new")
    page.locator("details summary").first.click()  # open PRISMA-7 too, so every field is checked
    assert page.evaluate(UNLABELLED_FIELDS_JS) == []
    for url in ("/", "/calls/", "/persons/search?q=a"):
        page.goto(url)
        assert page.evaluate(UNLABELLED_FIELDS_JS) == [], url


def _focused_field(page) -> str:
    return page.evaluate("() => document.activeElement && (document.activeElement.id || document.activeElement.name)")


def test_call_page_is_usable_with_the_keyboard_alone(open_session):
    page = open_session("nurse")
    page.goto("/calls/new")
    page.locator("body").focus()
    seen = []
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = _focused_field(page)
        if focused and focused not in seen:
            seen.append(focused)
        if focused == "route":
            break
    order = [
        name
        for name in (
            "started_at",
            "caller_phone",
            "first_name",
            "last_name",
            "postcode",
            "summary",
            "autonomy_problem",
            "route",
        )
        if name in seen
    ]
    assert order == [
        "started_at",
        "caller_phone",
        "first_name",
        "last_name",
        "postcode",
        "summary",
        "autonomy_problem",
        "route",
    ], seen

    # Typing and ticking with the keyboard alone gives a proposal and a saved call.
    page.locator("#first_name").focus()
    page.keyboard.type("Kévin")
    page.keyboard.press("Tab")
    page.keyboard.type("Clavier")
    page.locator("#postcode").focus()
    page.keyboard.type("4000")
    page.locator("input[name=caller_type][value=patient]").focus()
    page.keyboard.press("Space")
    page.locator("input[name=topics][value=care]").focus()
    page.keyboard.press("Space")
    page.wait_for_selector("#proposal [data-route]")

    # Focus is visible: the focused field draws an outline that it does not have unfocused.
    page.locator("#last_name").focus()
    page.keyboard.press("Shift+Tab")
    focused = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [document.activeElement.id, s.outlineStyle, s.outlineWidth]; }""")
    page.locator("#last_name").focus()
    unfocused = page.evaluate("""() => { const s = getComputedStyle(document.getElementById('first_name'));
        return [s.outlineStyle, s.outlineWidth]; }""")
    assert focused[0] == "first_name" and focused[1] != "none" and focused[2] != "0px", focused
    assert unfocused[0] == "none" or unfocused[1] == "0px"
