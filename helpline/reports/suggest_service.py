"""Topic suggestions on the call page: train from past calls, keep the newest suggester, suggest."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from flask import current_app

from helpline.formatting import labels
from models import Call, CallTopic, TopicSuggester, db

from .topics_service import known_names

if TYPE_CHECKING:  # scikit-learn is imported where suggestions are trained or made, not at start-up
    from .suggester import Suggester

MAX_TEXT = 10000


def labelled_calls() -> list[tuple[str, list[str]]]:
    """Return (summary, topics the nurse ticked) for every past call with a summary."""
    topics: dict[int, list[str]] = defaultdict(list)
    for call_id, topic in db.session.execute(sa.select(CallTopic.call_id, CallTopic.topic)):
        topics[call_id].append(topic)
    rows = db.session.execute(sa.select(Call.id, Call.summary).where(Call.summary != "").order_by(Call.id))
    return [(summary, topics.get(call_id, [])) for call_id, summary in rows]


def train_and_store() -> TopicSuggester:
    """Train the suggester on past calls and store it (raises NotEnoughHistory when too few)."""
    from .suggester import train_suggester

    suggester = train_suggester(labelled_calls(), names=known_names())
    row = TopicSuggester(
        trained_at=suggester.trained_at, n_calls=suggester.n_calls, info=suggester.info(), model=suggester.to_bytes()
    )
    db.session.add(row)
    return row


def current_suggester() -> Optional[Suggester]:
    """Return the newest trained suggester (unpickled once per app and kept), or None."""
    newest = db.session.scalar(sa.select(sa.func.max(TopicSuggester.id)))
    if newest is None:
        return None
    cache = current_app.extensions.setdefault("reports_suggester", {})
    if cache.get("id") != newest:
        from .suggester import Suggester

        cache.update(id=newest, suggester=Suggester.from_bytes(db.session.get(TopicSuggester, newest).model))
    return cache["suggester"]


def suggestions(text: str, ticked: list[str] = ()) -> list[dict]:
    """Return the topics to propose for a summary, best first, leaving out those already ticked."""
    suggester = current_suggester()
    if suggester is None or not text.strip():
        return []
    found = suggester.suggest(text[:MAX_TEXT], k=3 + len(ticked))
    return [
        {"topic": topic, "label": labels("topic", topic), "score": score}
        for topic, score in found
        if topic not in ticked
    ][:3]
