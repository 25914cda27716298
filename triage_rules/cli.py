"""The ``triage FILE...`` command: one JSON decision per input, one per line.

Each FILE is a JSON object, or ``-`` for standard input. All inputs are read
and validated before anything is printed: if any input is unreadable, not
JSON or does not match the schema, every such input is reported on stderr
(file and field named, no traceback), nothing is printed on stdout and the
exit status is 2. So stdout is either one decision for every input, in input
order, or empty: a script can never mistake a partial run for a complete one.
Exit status 1 means the rule set itself is at fault (it does not load, or a
condition fails on one of the inputs).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from .errors import RulesetError, TriageInputError
from .loader import default_ruleset, load_ruleset
from .validation import validate_request
from .vocabulary import LANGUAGES

STDIN = "-"


class _UnreadableInput(Exception):
    """An input file that cannot be read as one JSON value."""


def run(
    files: list[str],
    stdout: TextIO,
    stderr: TextIO,
    ruleset_path: str | Path | None = None,
    *,
    lang: str = "fr",
    stdin: TextIO | None = None,
) -> int:
    """Triage each input file and print one JSON decision per line; return the exit status."""
    try:
        ruleset = load_ruleset(ruleset_path) if ruleset_path is not None else default_ruleset()
    except RulesetError as error:
        stderr.write(f"triage: rule set cannot be loaded: {error}\n")
        return 1
    if lang not in ruleset.languages:
        stderr.write(f"triage: language {lang!r} not offered by the rule set ({', '.join(ruleset.languages)})\n")
        return 2
    if not files:
        stderr.write("triage: no input given (FILE..., or - for standard input)\n")
        return 2
    requests, failures = [], []
    for name in files:
        label = "<stdin>" if name == STDIN else name
        try:
            requests.append(validate_request(_read_json(name, stdin if stdin is not None else sys.stdin)))
        except _UnreadableInput as error:
            failures.append(f"triage: {label}: {error}")
        except TriageInputError as error:
            failures.extend(f"triage: {label}: {field}: {message}" for field, message in error.problems)
    if failures:
        stderr.write("\n".join(failures) + "\n")
        return 2
    try:
        lines = [json.dumps(ruleset.decide(request, lang=lang).to_dict()) for request in requests]
    except RulesetError as error:
        stderr.write(f"triage: rule set failed: {error}\n")
        return 1
    stdout.write("".join(line + "\n" for line in lines))
    return 0


def _read_json(name: str, stdin: TextIO) -> object:
    try:
        if name == STDIN:
            source = getattr(stdin, "buffer", None)
            raw = source.read() if source is not None else stdin.read()
        else:
            raw = Path(name).read_bytes()
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except OSError as error:
        raise _UnreadableInput(f"cannot read ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise _UnreadableInput("not UTF-8 text") from None
    if not text.strip():
        raise _UnreadableInput("empty input, expected a JSON object")
    try:
        return json.loads(text, object_pairs_hook=_refuse_duplicate_keys)
    except json.JSONDecodeError as error:
        raise _UnreadableInput(f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    except ValueError as error:
        raise _UnreadableInput(str(error)) from None
    except RecursionError:
        raise _UnreadableInput("not valid input: lists or objects nested too deeply") from None


def _refuse_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"not valid input: key {key!r} appears twice in one object")
        result[key] = value
    return result


def main(argv: list[str] | None = None) -> int:
    """Parse command-line arguments and run the triage command."""
    parser = argparse.ArgumentParser(prog="triage", description="Triage requests: one JSON decision per input.")
    parser.add_argument("files", nargs="*", metavar="FILE", help="JSON request file, or - for standard input")
    parser.add_argument("--rules", metavar="DIR", help="rule set directory (default: the shipped one)")
    parser.add_argument("--lang", choices=LANGUAGES, default="fr", help="language of the reasons")
    args = parser.parse_args(argv)
    return run(args.files, sys.stdout, sys.stderr, args.rules, lang=args.lang)


if __name__ == "__main__":
    sys.exit(main())
