"""Helpers shared by the browser tests (`from browser_support import ...`)."""
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot of the page to docs/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
