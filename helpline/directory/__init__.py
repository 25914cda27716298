"""The directory of external structures: search, admin editing, HSDS import and export."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("directory", __name__, url_prefix="/directory")

from . import routes  # noqa: E402,F401


def init_app(app) -> None:
    """Add the directory to the menu and its commands to the CLI."""
    from flask_login import current_user

    from .. import demo_hooks, navigation
    from ..permissions import can
    from ..vocabulary import CATEGORY_LABELS
    from .cli import directory_cli
    from .demo import load_demo_directory

    navigation.add_nav(lambda: _l("Directory"), "directory.index", 40)
    app.jinja_env.globals.update(can_edit_directory=lambda: can(current_user, "directory.new"),
                                 category_choices=lambda: [(k, str(v)) for k, v in CATEGORY_LABELS.items()])
    app.cli.add_command(directory_cli)
    if load_demo_directory not in demo_hooks.DEMO_LOADERS:
        demo_hooks.DEMO_LOADERS.insert(0, load_demo_directory)
