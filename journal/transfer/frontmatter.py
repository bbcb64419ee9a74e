"""Reading YAML front matter from files journal did not necessarily write, within limits.

Every importer that reads front matter (per-entry files, notes) comes through here. YAML can
make a few hundred bytes stand for gigabytes: an anchor (``&a``) names a node and each alias
(``*a``) repeats it, so nine lists of nine aliases to the list before hold 9**9 leaves (the
"billion laughs"). PyYAML shares the repeated objects, but anything that copies the result
(turning it into JSON, saving it) expands it all. So, before anything is built:

- the front matter may be at most :data:`MAX_CHARS` characters;
- anchors and aliases are refused (journal never writes them, and a note does not need them);
- collections may nest at most :data:`MAX_DEPTH` deep (deeper is a recursion error waiting);
- the caller sees every key (with its line and its text as written) and may refuse unknown
  ones before the values are built.

The check walks libyaml's events (the C parser when PyYAML has it, which does not recurse),
and only then is the document built, with the same safe loader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["MAX_CHARS", "MAX_DEPTH", "FrontMatterError", "Key", "Scan", "load", "scan"]

#: Front matter longer than this is refused (journal's own is well under a kilobyte).
MAX_CHARS = 1024 * 1024
#: Collections inside collections, at most (journal's own go three deep).
MAX_DEPTH = 32
#: Lines are the file's: its first line is the opening ``---``, so the front matter's own
#: first line is the file's second.
_FIRST_LINE = 2


class FrontMatterError(Exception):
    """The front matter cannot be read; ``line`` is the file's line, where known.

    ``limit`` errors (too long, an anchor or alias, too deep) have a ``problem`` that follows
    "the front matter" (``uses a YAML alias (*a): ...``) and a ``hint``; the others are YAML
    that does not parse, with PyYAML's own words.
    """

    def __init__(
        self, problem: str, line: int | None = None, *, limit: bool = False, hint: str = ""
    ) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line
        self.limit = limit
        self.hint = hint


@dataclass(frozen=True)
class Key:
    """A key of the front matter: where it is and how its value was written."""

    line: int  # in the file
    #: The value's text as written when it is a scalar (``12345`` for ``uid: 12345``), else None.
    raw: str | None = None
    #: Whether the value is a mapping.
    mapping: bool = False


@dataclass
class Scan:
    """The keys of the top-level mapping, and of the one mapping under ``nested``."""

    keys: dict[str, Key] = field(default_factory=dict)
    nested: dict[str, Key] = field(default_factory=dict)
    #: Whether the document is a mapping at all.
    is_mapping: bool = False


def _loader() -> Any:
    import yaml

    # libyaml's loader when PyYAML has it: about ten times faster, same safe types.
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def scan(front: str, nested: str | None = None) -> Scan:
    """Check ``front`` within the limits above and list its keys, building no value.

    :class:`FrontMatterError` for too long, an anchor or alias, too deep, or YAML that does
    not parse (with the line where it can say).
    """
    import yaml

    if len(front) > MAX_CHARS:
        raise FrontMatterError(
            f"is longer than {MAX_CHARS // 1024 // 1024} MB ({len(front):,} characters)",
            limit=True,
            hint="Front matter holds a few fields; move long text into the body.",
        )
    result = Scan()
    # One frame per open collection: [is_mapping, children seen, the key being read or None].
    stack: list[list[Any]] = []
    pending: list[Any] = [None, None]  # the key (name, line, which dict) whose value comes next
    try:
        for event in yaml.parse(front, Loader=_loader()):
            line = event.start_mark.line + _FIRST_LINE if event.start_mark is not None else None
            if isinstance(event, yaml.AliasEvent):
                raise _anchor_error("alias", f"*{event.anchor}", line)
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                if getattr(event, "anchor", None):
                    raise _anchor_error("anchor", f"&{event.anchor}", line)
                _note_node(event, line, stack, pending, result, nested)
                if isinstance(event, yaml.CollectionStartEvent):
                    if not stack:
                        result.is_mapping = isinstance(event, yaml.MappingStartEvent)
                    stack.append([isinstance(event, yaml.MappingStartEvent), 0, pending[0]])
                    pending[0] = None
                    if len(stack) > MAX_DEPTH:
                        raise FrontMatterError(
                            f"is nested more than {MAX_DEPTH} levels deep",
                            line,
                            limit=True,
                            hint="Front matter holds a few plain fields; flatten it.",
                        )
            elif isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
    except yaml.YAMLError as exc:
        raise FrontMatterError(*_yaml_problem(exc)) from None
    return result


def _anchor_error(what: str, name: str, line: int | None) -> FrontMatterError:
    from journal.display import visible_line

    return FrontMatterError(
        f"uses a YAML {what} ({visible_line(name)}): anchors and aliases are not allowed "
        "(they can make a small file stand for gigabytes)",
        line,
        limit=True,
        hint="Write each value out in full, without & and *.",
    )


def _note_node(
    event: Any,
    line: int | None,
    stack: list[list[Any]],
    pending: list[Any],
    result: Scan,
    nested: str | None,
) -> None:
    """Record a key of the top-level mapping (or of the ``nested`` one), or the value of the
    key just recorded."""
    import yaml

    pending[0] = None
    if not stack or not stack[-1][0]:
        return
    frame = stack[-1]
    is_key = frame[1] % 2 == 0
    frame[1] += 1
    top = len(stack) == 1
    inner = len(stack) == 2 and nested is not None and stack[-1][2] == nested
    if not (top or inner):
        return
    target = result.keys if top else result.nested
    if is_key:
        if isinstance(event, yaml.ScalarEvent):
            name = str(event.value)
            target.setdefault(name, Key(line or _FIRST_LINE))
            pending[1] = (name, target)
        else:
            pending[1] = None
        return
    if pending[1] is not None:
        name, where = pending[1]
        before = where[name]
        if isinstance(event, yaml.ScalarEvent):
            where[name] = Key(before.line, raw=str(event.value))
        elif isinstance(event, yaml.MappingStartEvent):
            where[name] = Key(before.line, mapping=True)
            if top:
                pending[0] = name  # the frame about to open is this key's mapping
        pending[1] = None


def _yaml_problem(exc: Exception) -> tuple[str, int | None]:
    """PyYAML's error as a short problem and the file's line."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and start is not None and mark is not None and start.line != mark.line:
        problem += f"; {context} that starts on line {start.line + _FIRST_LINE}"
    return problem, mark.line + _FIRST_LINE if mark is not None else None


def load(front: str, check: Callable[[Scan], None] | None = None, nested: str | None = None) -> Any:
    """The front matter's value, after :func:`scan` (and ``check``, given the scan, which may
    raise to refuse keys before any value is built). :class:`FrontMatterError` as above."""
    import yaml

    found = scan(front, nested)
    if check is not None:
        check(found)
    try:
        return yaml.load(front, Loader=_loader())
    except yaml.YAMLError as exc:
        raise FrontMatterError(*_yaml_problem(exc)) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # A date PyYAML cannot build (year 0, 2024-02-30) and the like.
        raise FrontMatterError(f"a value cannot be read: {exc}") from None
