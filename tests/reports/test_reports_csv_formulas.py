"""CSV exports: a cell a spreadsheet would run as a formula (a staff name "=HYPERLINK(...)") is made inert."""

from __future__ import annotations

import csv
import io

import pytest

from helpline.reports.tables import Table, to_csv


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.invalid")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd"])
def test_formula_cells_are_prefixed_with_a_quote(name):
    table = Table(
        key="caseloads", title="Caseloads", columns=["Case manager", "Active"], rows=[[name, 3], ["Anne Gestion", -1]]
    )
    rows = list(csv.reader(io.StringIO(to_csv(table))))
    assert rows[1][0] == "'" + name
    assert rows[2] == ["Anne Gestion", "-1"]  # numbers stay numbers
