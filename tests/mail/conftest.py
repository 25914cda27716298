"""Mail fixtures: an SMTP server on loopback, and the app pointed at it."""

import pytest
from smtp_support import SMTPServer


@pytest.fixture
def smtp():
    """A real SMTP server on loopback that accepts everything."""
    with SMTPServer() as server:
        yield server


@pytest.fixture
def app_config(smtp):
    return smtp.config()
