"""Topic modelling of the helpline's notes against the database: fit, store, browse, name, gaps."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Optional

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext

from helpline.formatting import format_day, labels, to_local
from models import Call, FollowUp, NoteTheme, Person, Referral, TopicModel, TopicTheme, User, db, utcnow
from models.vocabulary import CATEGORIES

from .period import Period
from .tables import Table

SEED = 0
RENAME_OVERLAP = 0.5  # share of top words two themes must share for a name to carry over to a new fit
_CHUNK = 5000


def known_names() -> list[str]:
    """Return the names of persons, callers and staff, to be removed from the notes."""
    names = [f"{first} {last}" for first, last in db.session.execute(sa.select(Person.first_name, Person.last_name))]
    names += db.session.scalars(sa.select(Call.caller_name).where(Call.caller_name.is_not(None)).distinct()).all()
    names += db.session.scalars(sa.select(User.name)).all()
    return names


def corpus(since: Optional[dt.date]) -> list[tuple[str, int, dt.datetime, str]]:
    """Return the (source, id, when, text) of every non-empty call summary and follow-up note since a date."""
    start = dt.datetime.combine(since, dt.time(), dt.UTC) if since else None
    calls = sa.select(Call.id, Call.started_at, Call.summary).where(Call.summary != "").order_by(Call.id)
    notes = (
        sa.select(FollowUp.id, FollowUp.completed_at, FollowUp.notes)
        .where(FollowUp.notes != "", FollowUp.completed_at.is_not(None))
        .order_by(FollowUp.id)
    )
    if start:
        calls = calls.where(Call.started_at >= start)
        notes = notes.where(FollowUp.completed_at >= start)
    rows = [("call", i, when, text) for i, when, text in db.session.execute(calls)]
    return rows + [("followup", i, when, text) for i, when, text in db.session.execute(notes)]


def _inherited_name(words: list[str], previous: list[TopicTheme]) -> Optional[str]:
    top = set(words[:10])
    for theme in previous:
        if theme.name and top and len(top & set(theme.top_words[:10])) >= RENAME_OVERLAP * len(top):
            return theme.name
    return None


def fit_and_store(since: Optional[dt.date] = None, n_topics: int = 8, progress=True) -> TopicModel:
    """Fit the topic model on the notes since a date, store it with its themes and each note's theme."""
    from .topicmodel import fit_topics  # scikit-learn, imported where the topics are fitted

    notes = corpus(since)
    result = fit_topics(
        [text for *_, text in notes], n_topics=n_topics, seed=SEED, names=known_names(), progress=progress
    )
    previous = latest_model()
    model = TopicModel(
        fitted_at=result.fitted_at,
        since=since,
        n_topics=n_topics,
        n_documents=result.n_documents,
        n_unassigned=result.n_unassigned,
        summary=result.to_dict(),
        model=result.model_bytes(),
    )
    for theme in result.themes:
        words = [[w, v] for w, v in theme.words]
        model.themes.append(
            TopicTheme(
                index=theme.index,
                words=words,
                size=theme.size,
                name=_inherited_name([w for w, _ in words], previous.themes if previous else []),
            )
        )
    db.session.add(model)
    db.session.flush()
    theme_ids = {t.index: t.id for t in model.themes}
    rows = [
        {
            "model_id": model.id,
            "theme_id": theme_ids[a.theme],
            "source": source,
            "source_id": source_id,
            "note_date": to_local(when).date(),
            "weight": a.weight,
        }
        for (source, source_id, when, _text), a in zip(notes, result.assignments, strict=False)
        if a.theme is not None
    ]
    for i in range(0, len(rows), _CHUNK):
        db.session.execute(sa.insert(NoteTheme), rows[i : i + _CHUNK])
    return model


def latest_model() -> Optional[TopicModel]:
    """Return the newest stored topic model, if any."""
    return db.session.scalar(sa.select(TopicModel).order_by(TopicModel.id.desc()).limit(1))


def theme_months(theme: TopicTheme) -> Table:
    """Count the notes carrying a theme per month."""
    query = (
        sa.select(NoteTheme.note_date, sa.func.count())
        .where(NoteTheme.theme_id == theme.id)
        .group_by(NoteTheme.note_date)
    )
    months: Counter = Counter()
    for day, n in db.session.execute(query):
        months[day.replace(day=1)] += n
    rows = []
    if months:
        month, last = min(months), max(months)
        while month <= last:
            rows.append([format_day(month, "MMM yyyy"), months[month]])
            month = (month + dt.timedelta(days=32)).replace(day=1)
    return Table(
        f"theme_{theme.id}_months",
        str(_l("Notes per month")),
        [str(_l("Month")), str(_l("Notes"))],
        rows,
        counts=(1,),
        chart="columns",
    )


def excerpts(theme: TopicTheme, limit: int = 5, max_len: int = 160) -> list[str]:
    """Return short pseudonymised excerpts of the notes most typical of a theme."""
    from .textprep import pseudonymise_excerpt  # its name patterns are compiled here, not at start-up

    top = db.session.execute(
        sa.select(NoteTheme.source, NoteTheme.source_id)
        .where(NoteTheme.theme_id == theme.id)
        .order_by(NoteTheme.weight.desc(), NoteTheme.id)
        .limit(limit)
    ).all()
    staff = db.session.scalars(sa.select(User.name)).all()
    found = []
    for source, source_id in top:
        if source == "call":
            call = db.session.get(Call, source_id)
            if call is None:
                continue
            text, names = call.summary, [call.caller_name or ""]
            person = call.person
        else:
            followup = db.session.get(FollowUp, source_id)
            if followup is None:
                continue
            text, names, person = followup.notes, [], followup.person
        names = [*names, person.first_name, person.last_name, *staff]
        found.append(pseudonymise_excerpt(text, [n for n in names if n], max_len=max_len))
    return found


def name_theme(theme: TopicTheme, name: str, user: User) -> None:
    """Give a theme the name a coordinator chose (empty clears it)."""
    theme.name = name.strip() or None
    theme.named_by_id = user.id
    theme.named_at = utcnow()


def theme_notes_table(model: TopicModel, period: Period) -> Table:
    """Count the notes of the period per theme of a model."""
    query = (
        sa.select(NoteTheme.theme_id, sa.func.count())
        .where(NoteTheme.model_id == model.id, NoteTheme.note_date >= period.start, NoteTheme.note_date <= period.end)
        .group_by(NoteTheme.theme_id)
    )
    found = dict(db.session.execute(query).all())
    rows = sorted(([t.title, found.get(t.id, 0)] for t in model.themes), key=lambda r: -r[1])
    return Table("gap_themes", str(_l("Themes of the notes")), [str(_l("Theme")), str(_l("Notes"))], rows, counts=(1,))


def failed_referrals_table(period: Period) -> Table:
    """Count the declined and unsuccessful referrals of the period per category."""
    start, end = period.bounds()
    query = (
        sa.select(Referral.category, Referral.status, sa.func.count())
        .where(
            Referral.sent_at >= start,
            Referral.sent_at < end,
            sa.or_(Referral.status == "declined", Referral.outcome == "unsuccessful"),
        )
        .group_by(Referral.category, Referral.status)
    )
    declined, failed = Counter(), Counter()
    for category, status, n in db.session.execute(query):
        (declined if status == "declined" else failed)[category] += n
    rows = sorted(
        ([labels("category", c), declined[c] + failed[c], declined[c], failed[c]] for c in CATEGORIES),
        key=lambda r: -r[1],
    )
    return Table(
        "gap_referrals",
        str(_l("Declined or unsuccessful referrals")),
        [
            str(_l("Category")),
            str(_l("Referrals")),
            pgettext("number of referrals", "Declined"),
            str(_l("Unsuccessful")),
        ],
        rows,
        counts=(1, 2, 3),
    )
