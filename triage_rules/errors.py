"""Exceptions raised by the triage engine."""

from __future__ import annotations


class RulesetError(Exception):
    """A rule set that cannot be loaded: bad file, bad rule, bad configuration."""


class TriageInputError(ValueError):
    """A triage request that does not match the request schema.

    ``problems`` lists ``(field_path, message)`` pairs, e.g.
    ``("person.postcode", "is required")``; ``str(error)`` joins them.
    """

    def __init__(self, problems: list[tuple[str, str]]):
        if not problems:
            raise ValueError("TriageInputError needs at least one problem")
        self.problems = list(problems)
        super().__init__("; ".join(f"{path}: {message}" for path, message in self.problems))

    @property
    def fields(self) -> list[str]:
        """Return the field paths named by this error, in order."""
        return [path for path, _ in self.problems]
