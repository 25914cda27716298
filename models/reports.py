"""Stored topic models, their themes (named by coordinators), per-note themes and the topic suggester."""

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class TopicModel(Base):
    """One fit of the topic model on call summaries and follow-up notes."""

    __tablename__ = "topic_model"

    id: Mapped[int] = mapped_column(primary_key=True)
    fitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    since: Mapped[Optional[dt.date]]
    n_topics: Mapped[int]
    n_documents: Mapped[int]
    n_unassigned: Mapped[int] = mapped_column(default=0)
    # fit_topics' to_dict(): parameters and themes as fitted (no per-note data, no names).
    summary: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # The fitted vectorizer and NMF (joblib bytes written by the app itself: trusted storage only).
    model: Mapped[bytes] = mapped_column(sa.LargeBinary)

    themes: Mapped[list["TopicTheme"]] = relationship(
        back_populates="model", cascade="all, delete-orphan", order_by="TopicTheme.index"
    )


class TopicTheme(Base):
    """A theme of a topic model: its top words and the name a coordinator gave it."""

    __tablename__ = "topic_theme"
    __table_args__ = (sa.UniqueConstraint("model_id", "index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(sa.ForeignKey("topic_model.id", ondelete="CASCADE"), index=True)
    index: Mapped[int]
    words: Mapped[list[list[Any]]] = mapped_column(sa.JSON, default=list)
    size: Mapped[int] = mapped_column(default=0)
    name: Mapped[Optional[str]] = mapped_column(sa.String(80))
    named_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id"))
    named_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)

    model: Mapped[TopicModel] = relationship(back_populates="themes")

    @property
    def top_words(self) -> list[str]:
        """Return the theme's top words, strongest first."""
        return [word for word, _weight in self.words]

    @property
    def title(self) -> str:
        """Return the coordinator's name for the theme, else its three top words."""
        return self.name or " / ".join(self.top_words[:3])


class NoteTheme(Base):
    """The dominant theme of one note (a call summary or a follow-up's notes) in one model."""

    __tablename__ = "note_theme"
    __table_args__ = (
        sa.Index("ix_note_theme_theme_date", "theme_id", "note_date"),
        sa.Index("ix_note_theme_model_source", "model_id", "source", "source_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(sa.ForeignKey("topic_model.id", ondelete="CASCADE"))
    theme_id: Mapped[int] = mapped_column(sa.ForeignKey("topic_theme.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(sa.String(10))
    source_id: Mapped[int]
    note_date: Mapped[dt.date]
    weight: Mapped[float]


class TopicSuggester(Base):
    """A trained topic suggester (summary -> topics), the newest one being used on the call page."""

    __tablename__ = "topic_suggester"

    id: Mapped[int] = mapped_column(primary_key=True)
    trained_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    n_calls: Mapped[int]
    info: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    model: Mapped[bytes] = mapped_column(sa.LargeBinary)
