"""Count the SQL statements a piece of code sends (import with `from query_counting import ...`)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy import event


@contextlib.contextmanager
def counted_statements(engine: sa.engine.Engine) -> Iterator[list[str]]:
    """Yield a list that receives the text of every statement the engine executes inside the block."""
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def statements_diff(few: list[str], many: list[str]) -> str:
    """Return the statements sent more often in `many` than in `few`, with how many more (for a failure)."""
    from collections import Counter

    extra = Counter(many) - Counter(few)
    return "\n".join(f"{n}× {text[:300]}" for text, n in extra.most_common(5))
