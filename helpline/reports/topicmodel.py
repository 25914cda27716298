"""Deterministic topic modelling of French helpline notes (TF-IDF + NMF), pure and serialisable.

Person names passed in are used for preprocessing only: they are never stored in the result,
in its dict form or in the pickled model.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

import joblib
import numpy as np
import sklearn
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from tqdm import tqdm

from helpline.reports.textprep import DEFAULT_MIN_LEN, NotePreprocessor

__all__ = ["DocTheme", "Theme", "TopicModelError", "TopicModelResult", "corpus_limits", "fit_topics"]

FORMAT = "helpline.topicmodel/1"
STEPS = ("preprocess", "vectorise", "factorise", "assign")
DEFAULT_MIN_WEIGHT = 0.15  # below this strength a note has "no theme"
MIN_NOTES_PER_TOPIC = 5
MIN_NOTES = 20
Progress = bool | Callable[[str, int, int], None]


class TopicModelError(ValueError):
    """Raised when a corpus or a serialised model cannot support topic modelling."""


class DocTheme(NamedTuple):
    """Dominant theme of one note (None when no theme is strong enough) and its strength."""

    theme: int | None
    weight: float


@dataclass(frozen=True)
class Theme:
    """One fitted theme: NMF component index, top words with their share of the theme, dominant-note count."""

    index: int
    words: tuple[tuple[str, float], ...]
    size: int = 0

    def label(self, n: int = 3) -> str:
        """Return a short human label made of the n top words."""
        return " / ".join(w for w, _ in self.words[:n])


def corpus_limits(n_notes: int) -> tuple[int, float]:
    """Return (min_df, max_df): drop terms seen in < 2 notes (0.02% of large corpora) or in > 70%."""
    return max(2, math.ceil(n_notes * 0.0002)), 0.7


class _Reporter:
    """Report step progress to a tqdm bar, to a callback(step, done, total), or nowhere."""

    def __init__(self, progress: Progress) -> None:
        """Choose the reporting channel."""
        self.callback = progress if callable(progress) else None
        self.bars = bool(progress) and self.callback is None
        self.bar = tqdm(total=len(STEPS), desc="topics", unit="step", disable=not self.bars, leave=False)

    def step(self, name: str, done: int, total: int) -> None:
        """Announce progress inside a step; advance the step bar when a step completes."""
        if self.callback is not None:
            self.callback(name, done, total)
        elif done == total:
            self.bar.set_postfix_str(name)
            self.bar.update(1)

    def notes(self, texts: Iterable[str], total: int) -> Iterable[str]:
        """Wrap note iteration in a per-note bar when bars are on."""
        return tqdm(
            texts, total=total, desc="preprocess", unit="note", disable=not self.bars, leave=False, mininterval=0.5
        )

    def close(self) -> None:
        """Close the step bar."""
        self.bar.close()


def _preprocess(prep: NotePreprocessor, texts: list[str], reporter: _Reporter) -> list[str]:
    """Return normalised notes, reporting every 5,000 notes to callbacks."""
    out, total = [], len(texts)
    reporter.step("preprocess", 0, total)
    for i, text in enumerate(reporter.notes(texts, total), 1):
        out.append(prep(text))
        if i % 5000 == 0 and i < total:
            reporter.step("preprocess", i, total)
    reporter.step("preprocess", total, total)
    return out


def _merged_top_words(row: np.ndarray, vocab: np.ndarray, n_words: int) -> tuple[tuple[str, float], ...]:
    """Return the top words of one component, merging plural/feminine variants (impaye, impayees)."""
    weights = row / row.sum() if row.sum() > 0 else row
    merged: dict[str, list] = {}
    for j in np.argsort(-weights, kind="stable")[: n_words * 3]:
        if weights[j] <= 0:
            break
        word = str(vocab[j])
        key = word.rstrip("sx").rstrip("e") or word
        if key in merged:
            merged[key][1] += float(weights[j])
        elif len(merged) < n_words:
            merged[key] = [word, float(weights[j])]
    ranked = sorted(merged.values(), key=lambda wv: -wv[1])
    return tuple((w, round(v, 4)) for w, v in ranked)


def _dominant(doc_topic: np.ndarray, components: np.ndarray, min_weight: float) -> list[DocTheme]:
    """Return each note's strongest theme, scaling W by component norms (notes are L2-normalised)."""
    strength = doc_topic * np.linalg.norm(components, axis=1)
    best = strength.argmax(axis=1)
    top = np.minimum(strength[np.arange(len(best)), best], 1.0)
    themes = np.where(top >= min_weight, best, -1).tolist()
    return [
        DocTheme(k if k >= 0 else None, w)
        for k, w in zip(themes, np.round(top.astype(float), 4).tolist(), strict=False)
    ]


@dataclass
class TopicModelResult:
    """Fitted themes, per-note dominant themes, metadata and the sklearn objects to assign new notes."""

    themes: list[Theme]
    assignments: list[DocTheme]
    n_documents: int
    n_empty: int
    n_unassigned: int
    fitted_at: datetime
    params: dict[str, Any]
    vectorizer: TfidfVectorizer = field(repr=False)
    nmf: NMF = field(repr=False)

    def assign(self, texts: Iterable[str], names: Iterable[str] = (), progress: Progress = False) -> list[DocTheme]:
        """Return the dominant theme of each new note."""
        texts = list(texts)
        reporter = _Reporter(progress)
        try:
            prep = NotePreprocessor(names, self.params["extra_stopwords"], self.params["min_len"])
            matrix = self.vectorizer.transform(_preprocess(prep, texts, reporter))
            reporter.step("vectorise", 1, 1)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                doc_topic = self.nmf.transform(matrix) if texts else np.zeros((0, len(self.themes)))
            reporter.step("factorise", 1, 1)
            result = _dominant(doc_topic, self.nmf.components_, self.params["min_weight"])
            reporter.step("assign", 1, 1)
            return result
        finally:
            reporter.close()

    def to_dict(self) -> dict[str, Any]:
        """Return the themes and metadata as JSON-serialisable data (no per-note data, no names)."""
        return {
            "format": FORMAT,
            "fitted_at": self.fitted_at.isoformat(),
            "n_documents": self.n_documents,
            "n_empty": self.n_empty,
            "n_unassigned": self.n_unassigned,
            "params": dict(self.params),
            "themes": [
                {"index": t.index, "label": t.label(), "size": t.size, "words": [list(w) for w in t.words]}
                for t in self.themes
            ],
        }

    def model_bytes(self) -> bytes:
        """Return the fitted vectorizer and NMF as joblib bytes (store with to_dict(); trusted storage only)."""
        buffer = io.BytesIO()
        joblib.dump({"format": FORMAT, "vectorizer": self.vectorizer, "nmf": self.nmf}, buffer, compress=3)
        return buffer.getvalue()

    @classmethod
    def load(cls, data: dict[str, Any], model: bytes) -> TopicModelResult:
        """Rebuild a result from to_dict() data and model_bytes() (unpickles: never feed untrusted bytes)."""
        if data.get("format") != FORMAT:
            raise TopicModelError(f"unsupported topic model format {data.get('format')!r}")
        objects = joblib.load(io.BytesIO(model))
        if not isinstance(objects, dict) or objects.get("format") != FORMAT:
            raise TopicModelError("model bytes are not a serialised helpline topic model")
        themes = [Theme(t["index"], tuple((w, float(v)) for w, v in t["words"]), t["size"]) for t in data["themes"]]
        return cls(
            themes,
            [],
            data["n_documents"],
            data["n_empty"],
            data["n_unassigned"],
            datetime.fromisoformat(data["fitted_at"]),
            dict(data["params"]),
            objects["vectorizer"],
            objects["nmf"],
        )


def fit_topics(
    texts: Iterable[str],
    n_topics: int = 8,
    seed: int = 0,
    names: Iterable[str] = (),
    *,
    progress: Progress = True,
    min_weight: float = DEFAULT_MIN_WEIGHT,
    n_words: int = 10,
    extra_stopwords: Iterable[str] = (),
    min_len: int = DEFAULT_MIN_LEN,
    max_features: int | None = 20000,
    max_iter: int = 400,
) -> TopicModelResult:
    """Fit n_topics themes on the notes; the same notes and seed always give the same themes."""
    if n_topics < 2:
        raise TopicModelError("n_topics must be at least 2")
    texts = list(texts)
    reporter = _Reporter(progress)
    try:
        prep = NotePreprocessor(names, extra_stopwords, min_len)
        prepped = _preprocess(prep, texts, reporter)
        extra = list(prep.extra_stopwords)
        del prep  # drop the name set as soon as possible
        n_nonempty = sum(1 for p in prepped if p)
        needed = max(MIN_NOTES, MIN_NOTES_PER_TOPIC * n_topics)
        if n_nonempty < needed:
            raise TopicModelError(f"not enough notes: {n_nonempty} usable, {needed} needed for {n_topics} themes")
        min_df, max_df = corpus_limits(len(texts))
        vectorizer = TfidfVectorizer(
            analyzer=str.split,
            min_df=min_df,
            max_df=max_df,
            max_features=max_features,
            sublinear_tf=True,
            dtype=np.float32,
        )
        try:
            matrix = vectorizer.fit_transform(prepped)
        except ValueError as exc:  # sklearn: "After pruning, no terms remain"
            raise TopicModelError(f"vocabulary too small after pruning: {exc}") from exc
        del prepped
        if len(vectorizer.vocabulary_) < 2 * n_topics:
            raise TopicModelError(f"vocabulary too small: {len(vectorizer.vocabulary_)} terms for {n_topics} themes")
        reporter.step("vectorise", 1, 1)
        nmf = NMF(n_components=n_topics, init="nndsvda", random_state=seed, max_iter=max_iter, tol=1e-4)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            doc_topic = nmf.fit_transform(matrix)
        reporter.step("factorise", 1, 1)
        assignments = _dominant(doc_topic, nmf.components_, min_weight)
        sizes = np.bincount([a.theme for a in assignments if a.theme is not None], minlength=n_topics)
        vocab = vectorizer.get_feature_names_out()
        themes = [
            Theme(k, _merged_top_words(nmf.components_[k], vocab, n_words), int(sizes[k])) for k in range(n_topics)
        ]
        reporter.step("assign", 1, 1)
    finally:
        reporter.close()
    params = {
        "n_topics": n_topics,
        "seed": seed,
        "min_weight": min_weight,
        "n_words": n_words,
        "min_len": min_len,
        "extra_stopwords": extra,
        "min_df": min_df,
        "max_df": max_df,
        "max_features": max_features,
        "vocabulary_size": len(vocab),
        "init": "nndsvda",
        "max_iter": max_iter,
        "n_iter": int(nmf.n_iter_),
        "converged": bool(nmf.n_iter_ < max_iter),
        "reconstruction_err": round(float(nmf.reconstruction_err_), 6),
        "sklearn": sklearn.__version__,
    }
    n_unassigned = sum(1 for a in assignments if a.theme is None)
    return TopicModelResult(
        themes,
        assignments,
        len(texts),
        len(texts) - n_nonempty,
        n_unassigned,
        datetime.now(UTC),
        params,
        vectorizer,
        nmf,
    )
