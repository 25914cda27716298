"""Helpers shared by the browser tests (`from browser_support import ...`)."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# A test run leaves the tree clean: screenshots go to a git-ignored folder; `make screenshots`
# sets SCREENSHOTS_DIR=docs/screenshots to refresh the README's.
SCREENSHOTS = PROJECT_ROOT / os.environ.get("SCREENSHOTS_DIR", "build/screenshots")


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot of the page to SCREENSHOTS/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
