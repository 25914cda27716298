"""Flask extensions, created once and bound to the app in the factory."""

from functools import cached_property

from flask_babel import Babel
from flask_login import LoginManager
from flask_mailman import Mail
from flask_wtf.csrf import CSRFProtect

from models import db


class Migrations:
    """Flask-Migrate, bound to the app without importing it.

    Importing Flask-Migrate imports Alembic (a fifth of the app's start-up), which only the
    `helpline db` commands and the migration helpers (`flask_migrate.upgrade()`...) need. `init_app`
    leaves in `app.extensions["migrate"]` what Flask-Migrate's own `init_app` leaves there (the
    database, the folder, the options for `migrations/env.py`); the `Migrate` object it reads at
    run time is made on first use. The `db` command is added lazily by `helpline.commands`.
    """

    def init_app(self, app, db, directory: str, **configure_args) -> None:
        app.extensions["migrate"] = _MigrationSettings(db, directory, configure_args)


class _MigrationSettings:
    """What Flask-Migrate's commands read from `app.extensions["migrate"]`."""

    def __init__(self, db, directory: str, configure_args: dict) -> None:
        self.db = db
        self.directory = directory
        self.configure_args = configure_args

    @cached_property
    def migrate(self):
        from flask_migrate import Migrate

        return Migrate(db=self.db, directory=self.directory, **self.configure_args)

    @property
    def metadata(self):
        return self.db.metadata


migrate = Migrations()
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
mail = Mail()

__all__ = ["db", "migrate", "csrf", "login_manager", "babel", "mail"]
