"""Figures from the data in hand-written pages: ``{{ handbook.framework.version }}``, nothing more.

A hand-written page is content, written by anyone who can open a pull request, so its template
code must not reach the build machine. It runs in Jinja's immutable sandbox and sees plain data
only (numbers, strings, lists, mappings: see ``model.data``), none of Jinja's generator
globals (``range``, ``lipsum``, ``cycler``...), a short list of filters that cannot allocate
without bound, and a budget of time and output per page. Every failure is one located problem.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Mapping
from types import FrameType
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from handbook.sources.problems import Problem

TIME_BUDGET_SECONDS = 2.0
MAX_OUTPUT_CHARACTERS = 1_000_000
MAX_REPEAT = 10_000
# Filters that only read, count, pick or reorder what they are given.
SAFE_FILTERS = ("abs", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first", "float",
                "groupby", "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min",
                "reject", "rejectattr", "reverse", "round", "select", "selectattr", "sort", "string", "sum",
                "title", "trim", "unique", "upper")
SAFE_TESTS = ("defined", "undefined", "none", "number", "string", "mapping", "sequence", "iterable", "even",
              "odd", "divisibleby", "eq", "ne", "lt", "le", "gt", "ge", "in", "true", "false", "boolean",
              "integer", "float", "lower", "upper", "sameas")


class _OverBudget(Exception):
    """Raised inside the template's own frames when its time is up."""


class _PageSandbox(ImmutableSandboxedEnvironment):
    # "a" * 10**9 or 9 ** 9 ** 9 would exhaust memory or time inside one C call.
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and (not isinstance(right, (int, float)) or abs(right) > 64):
            raise SecurityError("powers above 64 are not allowed in a page")
        if operator == "*" and any(isinstance(side, (str, list, tuple)) for side in (left, right)):
            count = right if isinstance(left, (str, list, tuple)) else left
            if isinstance(count, int) and count > MAX_REPEAT:
                raise SecurityError(f"repeating text or a list more than {MAX_REPEAT} times is not allowed")
        return super().call_binop(context, operator, left, right)


def _environment() -> _PageSandbox:
    env = _PageSandbox(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.globals.clear()
    env.filters = {name: env.filters[name] for name in SAFE_FILTERS}
    env.tests = {name: env.tests[name] for name in SAFE_TESTS}
    return env


_ENV = _environment()


class PageTemplateError(Exception):
    """A hand-written page whose template could not be rendered; carries the problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def render_page_template(text: str, data: Mapping[str, Any], *, source: str, first_line: int = 1) -> str:
    """``text`` (a page's Markdown after its front matter, which starts on ``first_line`` of
    ``source``) with its template code evaluated against ``data``."""
    try:
        code = _ENV.compile(text, name=source, filename=source)
        template = _ENV.template_class.from_code(_ENV, code, _ENV.make_globals(None), None)
        output = _within_budget(lambda: template.render(**data))
    except jinja2.TemplateSyntaxError as error:
        raise _problem(source, first_line, error.lineno, f"template syntax: {error.message}") from None
    except _OverBudget as error:
        raise _problem(source, first_line, _template_line(error, source), f"the page's template code ran for "
                       f"more than {TIME_BUDGET_SECONDS:g} s: simplify its loops") from None
    except (jinja2.TemplateError, SecurityError, ArithmeticError, TypeError, ValueError, LookupError,
            AttributeError, RecursionError, MemoryError) as error:
        line = _template_line(error, source)
        raise _problem(source, first_line, line, f"template error: {_describe(error)}") from None
    if len(output) > MAX_OUTPUT_CHARACTERS:
        raise _problem(source, first_line, None, f"the page's template code wrote more than "
                                                 f"{MAX_OUTPUT_CHARACTERS:,} characters")
    return output


def _within_budget(render: Any) -> str:
    """Run ``render`` and stop it once its time is up. A trace function watches the template's
    frames only (in this thread, so it works in ``mkdocs serve``'s builder thread too)."""
    deadline = time.monotonic() + TIME_BUDGET_SECONDS
    previous = sys.gettrace()

    def watch(frame: FrameType, event: str, arg: Any) -> Any:
        if time.monotonic() > deadline:
            raise _OverBudget
        return watch

    sys.settrace(watch)
    try:
        return render()
    finally:
        sys.settrace(previous)


def _template_line(error: BaseException, source: str) -> int | None:
    """The template line Jinja's rewritten traceback points at, if any."""
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__) if frame.filename == source]
    return lines[-1] if lines else getattr(error, "lineno", None)


def _describe(error: BaseException) -> str:
    message = str(error) or type(error).__name__
    return message.replace("'dict object'", "the data").replace("'list object'", "the list")[:300]


def _problem(source: str, first_line: int, line: int | None, message: str) -> PageTemplateError:
    return PageTemplateError(Problem(source, (line or 1) + first_line - 1, 1, "template", message))
