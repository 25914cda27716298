"""Topic suggestions while logging a call, learnt from past calls (summary -> topics ticked by nurses).

Multi-label TF-IDF (words and word pairs) + one-vs-rest logistic regression, whose probabilities
are the suggestion scores. It only proposes topics for the nurse to tick: it never decides triage.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import joblib
import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier

from helpline.reports.textprep import NotePreprocessor

__all__ = ["MIN_CALLS", "MIN_EXAMPLES", "NotEnoughHistory", "Suggester", "SuggesterError", "train_suggester"]

FORMAT = "helpline.suggester/1"
MIN_CALLS = 40  # usable labelled calls needed overall
MIN_EXAMPLES = 8  # calls with (and without) a topic needed to keep that topic
MIN_TOPICS = 2  # kept topics needed for suggestions to make sense
DEFAULT_THRESHOLD = 0.3
DEFAULT_C = 4.0


class SuggesterError(ValueError):
    """Raised when suggester bytes are invalid or arguments are wrong."""


class NotEnoughHistory(SuggesterError):
    """Raised when past calls are too few or too unbalanced to learn topic suggestions."""

    def __init__(self, reason: str, n_calls: int, topic_counts: dict[str, int]) -> None:
        """Keep the reason and the counts the decision was based on."""
        super().__init__(f"not enough call history: {reason}")
        self.reason = reason
        self.n_calls = n_calls
        self.topic_counts = topic_counts


@dataclass(frozen=True)
class Suggester:
    """Trained topic suggester: kept topics, training metadata and the fitted sklearn objects."""

    topics: tuple[str, ...]
    n_calls: int
    topic_counts: dict[str, int]
    dropped_topics: dict[str, int]
    trained_at: datetime
    params: dict[str, Any]
    vectorizer: TfidfVectorizer = field(repr=False)
    classifier: OneVsRestClassifier = field(repr=False)

    def scores(self, text: str, names: Iterable[str] = ()) -> dict[str, float]:
        """Return every kept topic's probability for one call summary."""
        prepped = NotePreprocessor(names, self.params["extra_stopwords"], self.params["min_len"])(text or "")
        if not prepped:
            return {t: 0.0 for t in self.topics}
        proba = self.classifier.predict_proba(self.vectorizer.transform([prepped]))[0]
        return {t: round(float(p), 4) for t, p in zip(self.topics, proba, strict=False)}

    def suggest(
        self, text: str, k: int = 3, threshold: float = DEFAULT_THRESHOLD, names: Iterable[str] = ()
    ) -> list[tuple[str, float]]:
        """Return up to k (topic, score) suggestions scoring at least threshold, best first."""
        if k < 1:
            raise SuggesterError("k must be at least 1")
        if not 0.0 <= threshold <= 1.0:
            raise SuggesterError("threshold must be between 0 and 1")
        ranked = sorted(self.scores(text, names).items(), key=lambda ts: (-ts[1], ts[0]))
        return [(t, s) for t, s in ranked[:k] if s >= threshold and s > 0.0]

    def info(self) -> dict[str, Any]:
        """Return JSON-serialisable training metadata."""
        return {
            "format": FORMAT,
            "topics": list(self.topics),
            "n_calls": self.n_calls,
            "topic_counts": dict(self.topic_counts),
            "dropped_topics": dict(self.dropped_topics),
            "trained_at": self.trained_at.isoformat(),
            "params": dict(self.params),
        }

    def to_bytes(self) -> bytes:
        """Return the whole suggester as joblib bytes (trusted storage only)."""
        buffer = io.BytesIO()
        joblib.dump(
            {"format": FORMAT, "info": self.info(), "vectorizer": self.vectorizer, "classifier": self.classifier},
            buffer,
            compress=3,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Suggester:
        """Rebuild a suggester from to_bytes() output (unpickles: never feed untrusted bytes)."""
        try:
            objects = joblib.load(io.BytesIO(data))
        except Exception as exc:  # joblib/pickle raise many types on garbage input
            raise SuggesterError(f"invalid suggester bytes: {exc}") from exc
        if not isinstance(objects, dict) or objects.get("format") != FORMAT:
            raise SuggesterError("bytes are not a serialised helpline suggester")
        info = objects["info"]
        return cls(
            tuple(info["topics"]),
            info["n_calls"],
            info["topic_counts"],
            info["dropped_topics"],
            datetime.fromisoformat(info["trained_at"]),
            info["params"],
            objects["vectorizer"],
            objects["classifier"],
        )


def train_suggester(
    pairs: Iterable[tuple[str, Iterable[str]]],
    *,
    min_calls: int = MIN_CALLS,
    min_examples: int = MIN_EXAMPLES,
    names: Iterable[str] = (),
    seed: int = 0,
    C: float = DEFAULT_C,
    extra_stopwords: Iterable[str] = (),
    min_len: int = 3,
) -> Suggester:
    """Train on (summary, topics) pairs; raise NotEnoughHistory when history is too small."""
    if min_examples < 2 or min_calls < 2 * min_examples:
        raise SuggesterError("need min_examples >= 2 and min_calls >= 2 * min_examples")
    prep = NotePreprocessor(names, extra_stopwords, min_len)
    texts, labels = [], []
    for text, topics in pairs:
        topics = sorted(set(topics))
        prepped = prep(text or "")
        if topics and prepped:  # calls without text or without any ticked topic teach nothing
            texts.append(prepped)
            labels.append(topics)
    extra = list(prep.extra_stopwords)
    del prep
    n_calls = len(texts)
    counts = dict(sorted(Counter(t for topics in labels for t in topics).items()))
    if n_calls < min_calls:
        raise NotEnoughHistory(f"{n_calls} usable labelled calls, {min_calls} needed", n_calls, counts)
    kept = tuple(t for t, c in counts.items() if min_examples <= c <= n_calls - min_examples)
    if len(kept) < MIN_TOPICS:
        raise NotEnoughHistory(
            f"{len(kept)} topics with at least {min_examples} examples (and non-examples), {MIN_TOPICS} needed",
            n_calls,
            counts,
        )
    targets = np.array([[t in topics for t in kept] for topics in labels], dtype=np.int8)
    vectorizer = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError as exc:  # sklearn: "After pruning, no terms remain"
        raise NotEnoughHistory("no word occurs in two calls", n_calls, counts) from exc
    classifier = OneVsRestClassifier(LogisticRegression(C=C, solver="liblinear", random_state=seed))
    classifier.fit(matrix, targets)
    params = {
        "min_calls": min_calls,
        "min_examples": min_examples,
        "C": C,
        "seed": seed,
        "min_len": min_len,
        "extra_stopwords": extra,
        "vocabulary_size": len(vectorizer.vocabulary_),
        "sklearn": sklearn.__version__,
    }
    return Suggester(
        kept,
        n_calls,
        {t: counts[t] for t in kept},
        {t: c for t, c in counts.items() if t not in kept},
        datetime.now(UTC),
        params,
        vectorizer,
        classifier,
    )
