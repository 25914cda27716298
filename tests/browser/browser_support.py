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


# axe-core, vendored (tests/browser/vendor/README.md says which version and where from).
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
# The Nu HTML checker, installed by `make install-test` (npm's vnu-jar package, in a git-ignored folder).
VNU_JAR = PROJECT_ROOT / "build" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
VNU_MISSING = f"the Nu HTML checker is not installed at {VNU_JAR} (`make install-test` installs it with npm)"
