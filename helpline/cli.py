"""The `helpline` console command: Flask's CLI with the app's own commands."""
from flask.cli import FlaskGroup

from . import create_app


def _app(*_args, **_kwargs):
    return create_app()


main = FlaskGroup(create_app=_app, help="Helpline set-up and maintenance commands.")

if __name__ == "__main__":  # pragma: no cover
    main()
