"""Demo loaders contributed by each area (directory, referrals, cases…), run by `helpline demo load`."""
from __future__ import annotations

from typing import Callable

# Each loader receives {role: first demo user of that role} and the demo persons.
DEMO_LOADERS: list[Callable[[dict, list], None]] = []
