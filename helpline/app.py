"""The application factory: `create_app` lists everything the app installs, in order."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Optional

from flask import Flask, render_template
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.middleware.proxy_fix import ProxyFix

from . import database, i18n, inputs, limits, outage, permissions
from .config import PROJECT_ROOT, settings_for
from .extensions import babel, csrf, db, login_manager, migrate
from .ids import IdConverter

log = logging.getLogger(__name__)
MIGRATIONS_DIR = str(PROJECT_ROOT / "migrations")


def create_app(config: Optional[Mapping[str, Any]] = None) -> Flask:
    """Create and configure the helpline app."""
    settings = settings_for(config)  # the one moment the environment is read
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
        instance_path=settings["HELPLINE_INSTANCE_DIR"],
    )
    app.config.from_mapping(settings)
    if settings["TRUSTED_PROXIES"]:
        # Behind TLS reverse proxies: the client's address, scheme, host and port (and the prefix the
        # app is mounted at) come from the X-Forwarded-* headers the trusted hops wrote, for the
        # limits, the audit trail, url building and Twilio's signatures alike.
        hops = settings["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops)
    app.url_map.converters["int"] = IdConverter  # ids beyond the database's range: 404

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = database.engine_options(app.config)
    db.init_app(app)
    with app.app_context():
        database.install(db.engine, float(app.config["DATABASE_PING_TIMEOUT"]))
    migrate.init_app(
        app, db, directory=MIGRATIONS_DIR, render_as_batch=True, compare_type=True, render_item=_render_migration_type
    )
    inputs.init_app(app)  # before CSRF and every view: no control character reaches a form
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    babel.init_app(app, locale_selector=i18n.select_locale)

    from . import (
        admin,
        answer,
        audit,
        auth,
        calls,
        cases,
        directory,
        drafts,
        followups,
        mail,
        main,
        meetings,
        navigation,
        persons,
        privacy,
        referrals,
        reports,
        security,
        telephony,
        triage,
    )
    from .reports import daily, daily_care, daily_delays, daily_phone

    security.init_app(app)  # security headers, cookies, idle timeout, the rate limiter
    audit.install()  # the audit trail: every change to health data recorded in its transaction
    daily.install()  # a day's call summary is dropped when one of its calls changes
    daily_care.install()  # likewise a day's referral or follow-up summary when one of its rows changes
    daily_delays.install()  # and a day's delays (handoffs, structures' answers) when a row behind them changes
    daily_phone.install()  # and a day's inbound calls and callbacks when one of them changes
    drafts.init_app(app)  # the call form's draft is forgotten once the call is saved
    for area in (
        main,
        auth,
        persons,
        calls,
        triage,
        telephony,
        followups,
        admin,
        privacy,
        directory,
        referrals,
        meetings,
        cases,
        reports,
        mail,
        answer,
    ):
        app.register_blueprint(area.bp)
    telephony.init_app(app)  # its settings; Twilio's webhooks CSRF-exempt (they are signed)
    mail.init_app(app)  # Flask-Mailman on the SMTP settings
    navigation.init_app(app)  # the menu, the home page's and the call page's panels

    app.before_request(permissions.enforce)
    _register_error_handlers(app)
    limits.init_app(app)
    _register_template_helpers(app)

    from .commands import register_commands

    register_commands(app)
    return app


def _render_migration_type(type_, obj, autogen_context):
    """Write our UTC timestamp columns as plain DateTime in migrations (that is what is stored)."""
    from models import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(403)
    def forbidden(error):
        return render_template("errors/error.html", code=403, message=_("You may not open this page.")), 403

    @app.errorhandler(404)
    def not_found(error):
        return render_template("errors/error.html", code=404, message=_("This page does not exist.")), 404

    # A failed database: the app's own page, rendered without the database (helpline/outage.py).
    app.register_error_handler(SQLAlchemyError, outage.database_unavailable)
    app.register_error_handler(outage.DatabaseUnavailable, outage.database_unavailable)

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_template("errors/error.html", code=500, message=_("Something went wrong.")), 500


def _register_template_helpers(app: Flask) -> None:
    from flask_babel import get_locale

    from .cases.handoffs import call_panel as cases_call_panel
    from .formatting import format_figure, format_local, labels, machine_time
    from .permissions import can_current_user
    from .persons.contacts import person_numbers
    from .phones import display_phone
    from .referrals.panels import call_panel as referral_call_panel
    from .telephony.routes import transfer_panel
    from .vocabulary import CATEGORY_LABELS

    app.jinja_env.globals.update(
        labels=labels,
        get_locale=get_locale,
        display_phone=display_phone,
        can=can_current_user,
        person_numbers=person_numbers,
        referral_call_panel=referral_call_panel,
        cases_call_panel=cases_call_panel,
        telephony_transfer_panel=transfer_panel,
        category_choices=lambda: [(k, str(v)) for k, v in CATEGORY_LABELS.items()],
    )
    app.jinja_env.filters["local"] = format_local
    app.jinja_env.filters["figure"] = format_figure  # 33,3 in French, 33.3 in English
    app.jinja_env.filters["machine_time"] = machine_time  # <time datetime="{{ when|machine_time }}">
