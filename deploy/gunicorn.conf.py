"""gunicorn's settings for `make serve` and deploy/helpline-web.service.

The number of workers comes from the helpline's settings (WEB_WORKERS, see helpline/config.py);
the address to listen on from `--bind` (make serve: HOST:PORT; the service: 127.0.0.1:8000, the
reverse proxy in front). Each worker builds its own app with `create_app()`.
"""

from helpline.config import read_environment

wsgi_app = "helpline:create_app()"
workers = read_environment()["WEB_WORKERS"]
bind = ["127.0.0.1:8000"]
# Client addresses, scheme and host behind a proxy are the app's business (ProxyFix and
# TRUSTED_PROXIES), not gunicorn's: it must not believe X-Forwarded-* on its own.
forwarded_allow_ips = ""
# A call page can wait on a slow database for a few seconds; a stuck worker is replaced.
timeout = 60
graceful_timeout = 30
# No access log: URLs can carry what a nurse searched for. Errors go to stderr (the journal).
errorlog = "-"
