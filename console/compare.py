"""One request answered for several contexts: what differs between the answers.

Works on Exchanges only, what the panes show (every secret already redacted): the status,
and for JSON bodies the paths that differ: items present for some contexts only (list
items are matched by their ID when they all have one), and values that differ.
"""

import json
from dataclasses import dataclass

from console.compose import JSON_TYPE

MAX_CONTEXTS = 4  # compared at once: each is one more request
MAX_SHOWN = 100  # differences listed; the marks in the bodies cover all of them
MAX_VALUE = 80  # characters of a value shown in the list of differences
ABSENT = "—"


@dataclass(frozen=True)
class Line:
    text: str
    marked: bool


@dataclass(frozen=True)
class Answer:
    """One context's answer, its JSON body as lines with the differing ones marked."""

    name: str
    exchange: object  # Exchange
    earlier: tuple = ()  # oauth.Step: a token refresh before or after a 401
    error: str = ""
    headers: str = ""
    lines: tuple[Line, ...] = ()  # the body: marked lines when JSON, else plain ones


@dataclass(frozen=True)
class Difference:
    path: str  # "status", "body", "Meta.TotalCount", "Items[ID=buyer-2]"
    values: tuple[str, ...]  # one per answer, ABSENT where the path is missing


@dataclass(frozen=True)
class Comparison:
    answers: tuple[Answer, ...]
    differences: tuple[Difference, ...]

    @property
    def shown(self):
        return self.differences[:MAX_SHOWN]

    @property
    def not_shown(self):
        return max(0, len(self.differences) - MAX_SHOWN)


_MISSING = object()


def compare(answers):
    """answers: [(context name, Sent)] -> Comparison, differences in document order."""
    parsed = [_body(sent.exchange) for _, sent in answers]
    differences = []
    statuses = [sent.exchange.status_text for _, sent in answers]
    if len(set(statuses)) > 1:
        differences.append(Difference("status", tuple(statuses)))
    reported = []
    if all(doc is not _MISSING for doc in parsed):
        reported = _json_differences(parsed)
        differences += [
            Difference(path or "body", tuple(_shown(v) for v in values))
            for path, values in reported
        ]
    elif len({_raw_body(sent.exchange) for _, sent in answers}) > 1:
        differences.append(
            Difference(
                "body",
                tuple(
                    _body_kind(doc, sent) for doc, (_, sent) in zip(parsed, answers, strict=True)
                ),
            )
        )
    marked = [path for path, _ in reported]
    return Comparison(
        answers=tuple(
            Answer(
                name=name,
                exchange=sent.exchange,
                earlier=tuple(sent.earlier),
                error=sent.error,
                headers=sent.exchange.response_text.partition("\n\n")[0],
                lines=_lines_of(doc, sent.exchange, marked),
            )
            for doc, (name, sent) in zip(parsed, answers, strict=True)
        ),
        differences=tuple(differences),
    )


def _raw_body(exchange):
    return exchange.response_text.partition("\n\n")[2]


def _body(exchange):
    """The JSON body of an answer, or _MISSING (no response, not JSON, or truncated)."""
    head, _, body = exchange.response_text.partition("\n\n")
    content_type = next(
        (
            line.split(":", 1)[1].strip()
            for line in head.splitlines()
            if line.lower().startswith("content-type:")
        ),
        "",
    )
    if exchange.truncated or not body or not JSON_TYPE.match(content_type):
        return _MISSING
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return _MISSING


def _body_kind(doc, sent):
    if doc is not _MISSING:
        return "JSON"
    body = _raw_body(sent.exchange)
    return f"{len(body):,} characters" if body else "empty"


def _shown(value):
    if value is _MISSING:
        return ABSENT
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return f"[…] ({len(value)} item{'' if len(value) == 1 else 's'})"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


# --- JSON paths ----------------------------------------------------------------------------


def _children(value, path):
    """[(child path, child)] of a dict or list; list items by ID when they all have one."""
    if isinstance(value, dict):
        return [(f"{path}.{key}" if path else str(key), child) for key, child in value.items()]
    if isinstance(value, list):
        return [
            (f"{path}[{key}]", child) for key, child in zip(_item_keys(value), value, strict=True)
        ]
    return []


def _item_keys(items):
    ids = [item.get("ID") if isinstance(item, dict) else None for item in items]
    usable = all(isinstance(i, str | int) and not isinstance(i, bool) for i in ids)
    if ids and usable and len(set(ids)) == len(ids):
        return [f"ID={i}" for i in ids]
    return [str(i) for i in range(len(items))]


def _json_differences(docs):
    """[(path, values)] where the documents differ: a path missing from some of them is
    reported once, not again for everything under it."""
    found = []

    def walk(path, values):
        present = [v is not _MISSING for v in values]
        kinds = {_kind(v) for v in values if v is not _MISSING}
        if not all(present) or len(kinds) > 1:
            found.append((path, values))
            return
        if kinds <= {"dict", "list"}:
            children = {}
            for i, value in enumerate(values):
                for child_path, child in _children(value, path):
                    children.setdefault(child_path, [_MISSING] * len(values))[i] = child
            for child_path, child_values in children.items():
                walk(child_path, child_values)
        elif len({json.dumps(v, sort_keys=True) for v in values}) > 1:
            found.append((path, values))

    walk("", list(docs))
    return found


def _kind(value):
    if isinstance(value, dict):
        return "dict"
    if isinstance(value, list):
        return "list"
    return "scalar"


def _lines_of(doc, exchange, marked):
    if doc is _MISSING:
        return tuple(
            Line(text, False) for text in _raw_body(exchange).split("\n") if _raw_body(exchange)
        )
    return tuple(Line(text, _is_marked(path, marked)) for text, path in _json_lines(doc, ""))


def _is_marked(path, marked):
    return any(path == m or (m and path.startswith((m + ".", m + "["))) or m == "" for m in marked)


def _json_lines(value, path, indent=0, prefix="", comma=""):
    """(line, path) for each line of json.dumps(value, indent=2, ensure_ascii=False)."""
    pad = "  " * indent
    children = _children(value, path)
    if children:
        opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
        yield pad + prefix + opening, path
        keys = list(value) if isinstance(value, dict) else [None] * len(value)
        for i, ((child_path, child), key) in enumerate(zip(children, keys, strict=True)):
            label = json.dumps(key, ensure_ascii=False) + ": " if key is not None else ""
            last = "," if i < len(children) - 1 else ""
            yield from _json_lines(child, child_path, indent + 1, label, last)
        yield pad + closing + comma, path
    else:
        yield pad + prefix + json.dumps(value, ensure_ascii=False) + comma, path
