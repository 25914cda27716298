"""Reports: indicators for coordinators, themes of the notes, topic suggestions and FHIR export."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("reports", __name__, url_prefix="/reports")

from . import routes  # noqa: E402,F401


def init_app(app) -> None:
    """Add the reports to the menu and the topics and export commands to the CLI."""
    from .. import navigation
    from . import daily
    from .cli import export_cli, topics_cli

    daily.install()  # drop a day's call summary when one of its calls changes
    navigation.add_nav(lambda: _l("Indicators"), "reports.index", 80)
    navigation.add_nav(lambda: _l("Themes"), "reports.topics", 81)
    app.cli.add_command(topics_cli)
    app.cli.add_command(export_cli)
