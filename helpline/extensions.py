"""Flask extensions, created once and bound to the app in the factory."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from models import db

migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
mail = Mail()

__all__ = ["db", "migrate", "csrf", "login_manager", "babel", "mail"]
