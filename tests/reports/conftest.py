"""Fixtures of the report tests."""

from __future__ import annotations

import contextlib

import pytest


@pytest.fixture
def request_context(app):
    """Each computation runs in its own app context and request, as each dashboard view does."""

    @contextlib.contextmanager
    def new():
        with app.app_context(), app.test_request_context("/"):
            yield

    return new
