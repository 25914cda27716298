"""Compile and check rule conditions with the rule-engine library.

A condition is rule-engine text such as ``cnsa_criteria_met == 4 and consent``.
It is parsed once, at load, against the typed ``VARIABLES`` of facts.py, so an
unknown variable, a syntax error or a type error surfaces before any call is
triaged. On top of rule-engine's own checks, a condition must give true or
false, may only name request variables (no ``$now``-style built-ins: a decision
must be reproducible on replay), and may only compare vocabulary variables
with words of the vocabulary (``'chest_pian' in red_flags`` is refused).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from .engine import ast as re_ast
from .engine import errors as re_errors
from .engine import rule_engine
from .facts import ENUM_VARIABLES, VARIABLES

_CONTEXT = rule_engine.Context(type_resolver=rule_engine.type_resolver_from_dict(VARIABLES))
# Conditions are pure functions of the few facts they name; decisions keep
# asking the same questions of a handful of booleans and counts, so caching
# each condition's answer per combination of its inputs is safe and bounded.
CACHE_SIZE = 4096  # per condition; 0 disables the cache (set before loading)


class ConditionError(Exception):
    """A condition that does not compile or does not pass the load-time checks."""


class Condition:
    """One compiled condition: call it with facts to get True or False."""

    def __init__(self, text: object):
        if not isinstance(text, str) or not text.strip():
            raise ConditionError("condition must be a non-empty text")
        self.text = text.strip()
        self._rule = _parse(self.text)
        expression = self._rule.statement.expression
        if expression.result_type not in (rule_engine.DataType.BOOLEAN, rule_engine.DataType.UNDEFINED):
            raise ConditionError(
                f"condition must be true or false, not {expression.result_type.name.lower()}: {self.text!r}"
            )
        self.variables = _check_tree(expression)
        # The typed parse above proved the condition against VARIABLES; facts
        # are built to those types, so evaluation can skip rule-engine's
        # per-symbol type checks (about twice as fast).
        self._runtime = rule_engine.Rule(self.text)
        self._evaluate = lru_cache(maxsize=CACHE_SIZE)(self._evaluate_uncached)

    def __call__(self, facts: dict) -> bool:
        """Return whether the condition holds for these facts."""
        try:
            return self._evaluate(tuple(facts[name] for name in self.variables))
        except re_errors.EngineError as error:
            # The load-time samples catch the usual mistakes (an unrecorded
            # value); what they cannot foresee (an index past the end, a
            # division by zero) is reported, never turned into a route.
            raise ConditionError(f"condition {self.text!r} failed on this request: {error.message}") from None

    def _evaluate_uncached(self, values: tuple) -> bool:
        return bool(self._runtime.evaluate(dict(zip(self.variables, values, strict=False))))

    def check_on(self, facts: dict) -> None:
        """Evaluate once on sample facts; raise ConditionError if evaluation fails."""
        try:
            self._rule.evaluate(facts)
            self._runtime.evaluate(facts)
        except re_errors.EngineError as error:
            missing = [name for name in self.variables if facts.get(name) is None]
            hint = f" (unrecorded here: {', '.join(missing)}; test with `!= null` first)" if missing else ""
            raise ConditionError(f"condition fails on a sample request: {error.message}{hint}") from None

    @property
    def is_always_true(self) -> bool:
        """Tell whether the condition is the literal ``true`` (a catch-all)."""
        expression = self._rule.statement.expression
        return isinstance(expression, re_ast.BooleanExpression) and expression.value is True


def _parse(text: str) -> rule_engine.Rule:
    try:
        return rule_engine.Rule(text, context=_CONTEXT)
    except re_errors.SymbolResolutionError as error:
        hint = f" (did you mean '{error.suggestion}'?)" if error.suggestion else ""
        raise ConditionError(f"unknown variable '{error.symbol_name}'{hint} in {text!r}") from None
    except re_errors.AttributeResolutionError as error:
        raise ConditionError(f"unknown attribute '{error.attribute_name}' in {text!r}") from None
    except re_errors.RuleSyntaxError as error:
        raise ConditionError(f"syntax error in {text!r}: {error.message}") from None
    except re_errors.EngineError as error:
        raise ConditionError(f"invalid condition {text!r}: {error.message}") from None


def _check_tree(expression: re_ast.ExpressionBase) -> tuple[str, ...]:
    """Check symbols and vocabulary words; return the variables used, sorted."""
    bound = {node.variable for node in _walk(expression) if isinstance(node, re_ast.ComprehensionExpression)}
    used: set[str] = set()
    for node in _walk(expression):
        if isinstance(node, re_ast.SymbolExpression) and node.name not in bound:
            if node.scope is not None or node.name not in VARIABLES:
                name = f"${node.name}" if node.scope is not None else node.name
                raise ConditionError(f"unknown variable '{name}': only request variables may be used")
            used.add(node.name)
        for variable, word in _compared_words(node):
            if word not in ENUM_VARIABLES[variable]:
                raise ConditionError(f"'{word}' is not a known value of {variable}")
    return tuple(sorted(used))


def _compared_words(node: re_ast.ExpressionBase) -> Iterator[tuple[str, str]]:
    """Yield (variable, word) for each vocabulary variable compared with a literal word."""
    if isinstance(node, re_ast.ComparisonExpression):
        pairs = [(node.left, node.right), (node.right, node.left)]
        for symbol, literal in pairs:
            if _enum_symbol(symbol) and isinstance(literal, re_ast.StringExpression):
                yield symbol.name, literal.value
    elif isinstance(node, re_ast.ContainsExpression):
        container, member = node.container, node.member
        if _enum_symbol(container) and isinstance(member, re_ast.StringExpression):
            yield container.name, member.value
        elif _enum_symbol(member) and isinstance(container, re_ast.ArrayExpression):
            for item in container.value:
                if isinstance(item, re_ast.StringExpression):
                    yield member.name, item.value


def _enum_symbol(node: object) -> bool:
    return isinstance(node, re_ast.SymbolExpression) and node.scope is None and node.name in ENUM_VARIABLES


def _walk(node: object) -> Iterator[re_ast.ExpressionBase]:
    if isinstance(node, (tuple, list)):
        for item in node:
            yield from _walk(item)
        return
    if not isinstance(node, re_ast.ExpressionBase):
        return
    yield node
    names = {name for cls in type(node).__mro__ for name in getattr(cls, "__slots__", ())}
    names.update(getattr(node, "__dict__", {}))
    names.discard("context")
    for name in sorted(names):
        yield from _walk(getattr(node, name, None))
