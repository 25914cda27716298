"""Constants and helpers shared by the telephony tests (`from telephony_support import ...`)."""

import datetime as dt
import uuid

ACCOUNT_SID = "AC" + "1" * 32
AUTH_TOKEN = "test-auth-token"
HELPLINE = "+3225550000"
# A Wednesday at 10:00 in Brussels: the line is open.
OPEN_TIME = dt.datetime(2026, 11, 18, 9, 0, tzinfo=dt.UTC)


def new_sid(prefix: str = "CA") -> str:
    """Return a fresh Twilio-shaped SID."""
    return prefix + uuid.uuid4().hex
