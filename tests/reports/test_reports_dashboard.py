"""The dashboard, its CSV downloads with small counts masked, and who may open the reports."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import sqlalchemy as sa
from reports_support import add_call, add_person, add_user, local

from helpline.reports.tables import MASK, SECONDARY_MASK, Table, masked_rows, to_csv
from models import AuditEvent, db

PERIOD = {"start": "2024-03-04", "end": "2024-03-17"}


def test_small_counts_are_masked_and_zero_is_kept():
    table = Table("t", "T", ["Label", "Persons"], [["a", 0], ["b", 3], ["c", 12], ["d", 5]], counts=(1,))
    assert [row[1] for row in masked_rows(table)] == [0, MASK, 12, SECONDARY_MASK]


def test_one_masked_cell_in_a_column_masks_the_next_smallest_too():
    table = Table("t", "T", ["Label", "Persons"], [["a", 2], ["b", 7], ["c", 30]], counts=(1,))
    assert [row[1] for row in masked_rows(table)] == [MASK, SECONDARY_MASK, 30]


def test_two_masked_cells_need_no_secondary_masking():
    table = Table("t", "T", ["Label", "Persons"], [["a", 2], ["b", 4], ["c", 30]], counts=(1,))
    assert [row[1] for row in masked_rows(table)] == [MASK, MASK, 30]


def test_rates_that_would_reveal_a_small_count_are_masked():
    table = Table(
        "t",
        "T",
        ["Label", "Done", "Due", "%"],
        [["a", 3, 10, 30.0], ["b", 9, 10, 90.0], ["c", 20, 40, 50.0]],
        counts=(1, 2),
        rates={3: (1, 2)},
    )
    rows = masked_rows(table)
    assert rows[0] == ["a", MASK, 10, MASK]
    assert rows[1] == ["b", SECONDARY_MASK, 10, SECONDARY_MASK]
    assert rows[2] == ["c", 20, 40, 50.0]
    assert to_csv(table).splitlines()[0] == "Label,Done,Due,%"


@pytest.fixture
def six_calls(app):
    """Six calls in the period: five from carers, one from a professional."""
    nurse, person = add_user(), add_person()
    for day in range(4, 9):
        add_call(person, nurse, local(2024, 3, day), caller_type="carer", topics=["housing"])
    add_call(person, nurse, local(2024, 3, 12), caller_type="professional")
    db.session.commit()


def test_coordinator_downloads_an_indicator_as_csv_with_small_counts_masked(client, login_as, six_calls):
    login_as("coordinator")
    response = client.get("/reports/calls_by_caller_type.csv", query_string={**PERIOD, "lang": "en"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "calls_by_caller_type_2024-03-04_2024-03-17.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["Caller", "Calls", "Share of calls (%)"]
    assert rows[1:] == [
        ["Patient", "0", "0.0"],
        ["Carer", SECONDARY_MASK, SECONDARY_MASK],
        ["Professional", MASK, MASK],
    ]
    assert (
        db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "export", AuditEvent.object_type == "indicator")
        )
        is not None
    )


def test_weekly_csv_lists_every_week_of_the_period(client, login_as, six_calls):
    login_as("coordinator")
    text = client.get("/reports/calls_by_week.csv", query_string=PERIOD).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert [row[1] for row in rows[1:]] == [SECONDARY_MASK, MASK]  # 5 then 1: the 5 would give the 1 back


def test_a_french_csv_opens_in_a_french_excel_and_an_english_one_stays_plain(client, login_as, six_calls):
    login_as("coordinator")
    french = client.get("/reports/calls_by_caller_type.csv", query_string={**PERIOD, "lang": "fr"})
    assert french.headers["Content-Type"] == "text/csv; charset=utf-8"
    data = french.get_data()
    assert data.startswith("\ufeff".encode("utf-8"))  # Excel reads the accents as UTF-8
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Appelant;Appels;Part des appels (%)"
    assert lines[1] == "Patient·e;0;0,0"  # semicolons between columns, a decimal comma
    english = client.get("/reports/calls_by_caller_type.csv", query_string={**PERIOD, "lang": "en"}).get_data()
    assert not english.startswith(b"\xef\xbb\xbf") and english.decode().splitlines()[1] == "Patient,0,0.0"


def test_weeks_are_days_a_french_excel_reads_and_iso_days_in_english(client, login_as, six_calls):
    login_as("coordinator")
    french = client.get("/reports/calls_by_week.csv", query_string={**PERIOD, "lang": "fr"}).get_data()
    assert french.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(french.decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows] == ["Semaine du", "04/03/2024", "11/03/2024"]
    english = client.get("/reports/calls_by_week.csv", query_string={**PERIOD, "lang": "en"}).get_data(as_text=True)
    assert not english.startswith("\ufeff")
    assert [row[0] for row in csv.reader(io.StringIO(english))] == ["Week of", "2024-03-04", "2024-03-11"]
    for lang in ("fr", "en"):  # on the page, a day in the reader's language, four-digit year
        page = client.get("/reports/", query_string={**PERIOD, "lang": lang}).get_data(as_text=True)
        assert '<th scope="row">04/03/2024</th>' in page and "3/4/24" not in page


def test_a_table_of_days_formats_them_for_each_reader():
    table = Table("t", "T", ["Day", "Share (%)"], [[dt.date(2026, 12, 31), 12.5]])
    assert to_csv(table, "fr") == "\ufeffDay;Share (%)\r\n31/12/2026;12,5\r\n"
    assert to_csv(table, "en") == "Day,Share (%)\n2026-12-31,12.5\n"


def test_dashboard_shows_exact_counts_with_charts_tables_and_downloads(client, login_as, six_calls):
    login_as("coordinator")
    response = client.get("/reports/", query_string={**PERIOD, "lang": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count("<svg") >= 10 and "<script" not in html.split("</main>")[0].split("<main")[1]
    assert 'class="num small">1<' in html  # the professional's call, marked as masked in exports
    for key in (
        "calls_by_week",
        "routes",
        "time_to_handoff",
        "referrals_by_category",
        "caseloads",
        "followups",
        "hospitalisations",
        "waiting_list",
    ):
        assert f"/reports/{key}.csv?" in html
    assert "style=" not in html


def test_a_period_ending_before_it_starts_is_refused_with_a_message(client, login_as):
    login_as("coordinator")
    response = client.get("/reports/", query_string={"start": "2024-03-17", "end": "2024-03-04", "lang": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The end of the period must come after its start." in html
    assert 'value="2024-03-17"' in html and "<svg" not in html
    bad_csv = client.get("/reports/calls_by_week.csv", query_string={"start": "nonsense"})
    assert bad_csv.status_code == 302


def test_unknown_indicator_is_not_found(client, login_as):
    login_as("coordinator")
    assert client.get("/reports/nothing.csv").status_code == 404


@pytest.mark.parametrize("role", ["nurse", "case_manager", "admin"])
@pytest.mark.parametrize("path", ["/reports/", "/reports/calls_by_week.csv", "/reports/topics", "/reports/gaps"])
def test_only_coordinators_open_the_reports(client, login_as, role, path):
    login_as(role)
    assert client.get(path).status_code == 403


def test_reports_are_in_the_coordinators_menu(client, login_as):
    login_as("coordinator")
    html = client.get("/", query_string={"lang": "en"}).get_data(as_text=True)
    assert 'href="/reports/"' in html and 'href="/reports/topics"' in html


def test_default_period_ends_today(client, login_as):
    login_as("coordinator")
    html = client.get("/reports/").get_data(as_text=True)
    assert dt.date.today().isoformat() in html


def test_dashboard_speaks_french_by_default(client, login_as):
    login_as("coordinator")
    html = client.get("/reports/", query_string=PERIOD).get_data(as_text=True)
    assert "Appels par semaine" in html and "Télécharger en CSV" in html


def test_the_dashboard_writes_its_rates_the_readers_way(client, login_as, six_calls):
    """0,0 on the French page, 0.0 on the English one (the CSVs follow the same convention)."""
    login_as("coordinator")
    french = client.get("/reports/", query_string={**PERIOD, "lang": "fr"}).get_data(as_text=True)
    section = french[french.index('id="ind-calls_by_caller_type"') :]
    assert '<td class="num">0,0</td>' in section[: section.index("</section>")]
    english = client.get("/reports/", query_string={**PERIOD, "lang": "en"}).get_data(as_text=True)
    section = english[english.index('id="ind-calls_by_caller_type"') :]
    assert '<td class="num">0.0</td>' in section[: section.index("</section>")]
