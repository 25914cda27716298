"""E-mail: the outbox every area writes to, the job that sends it, and the console-mode page."""

from flask import Blueprint

bp = Blueprint("mail", __name__, url_prefix="/mail")


def is_console(config) -> bool:
    """Tell whether the app runs without a mail server (messages are kept, never sent)."""
    return not config.get("MAIL_SERVER")


from . import routes  # noqa: E402,F401


def init_app(app) -> None:
    """Bind Flask-Mailman to the SMTP settings."""
    from ..extensions import mail

    # Flask-Mailman keeps test messages in memory unless told otherwise: we always speak SMTP.
    app.config["MAIL_BACKEND"] = "smtp"
    mail.init_app(app)
