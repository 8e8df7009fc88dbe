"""OrderCloud's rule expressions: approval rules' RuleExpression, promotions'
EligibleExpression and ValueExpression.

The language, as OrderCloud documents its rules engine:

- paths in dot notation into the objects in scope: `order.Total`, `order.xp.Region`,
  `order.FromUser.xp.Level`, `user.xp.Budget`, and for line-item-level promotions
  `item.ProductID`, `item.LineSubtotal`; a missing property is null;
- literals: numbers (`100`, `.1`), strings in straight single quotes (`'West'`, a quote
  doubled inside: `'O''Brien'`), dates between hashes in US order (`#6/15/2016#`,
  `#6/15/2016 14:30#`), `true`, `false`, `null`;
- comparison `=`, `<>` (and `!=`), `<`, `<=`, `>`, `>=`; logic `and`, `or`, `not`;
  arithmetic `+`, `-`, `*`, `/`, `%` (`+` also joins strings); parentheses;
- functions on the order's line items, each with an optional condition evaluated on each
  item (a bare name there is the item's: `items.any(ProductID = 'X')`):
  `items.any(...)`, `items.all(...)`, `items.count(...)`, `items.quantity(...)` (the sum
  of Quantity), `items.total(...)` (the sum of LineTotal); `order.approved('ruleID')`
  (whether that approval rule has approved the order);
- `min(a, b, ...)`, `max(a, b, ...)`, `abs(x)`, `round(x)` / `round(x, digits)`, and on
  strings `contains(s, part)`, `startswith(s, part)`, `endswith(s, part)`,
  `lower(s)`, `upper(s)`, `length(s)`.

`parse` checks an expression once (when a rule or a promotion is saved) and refuses bad
ones with an `ExpressionError` that says what and where; `evaluate` runs a parsed
expression against plain data (the wire dicts of the order, its line items and the user).
Nothing here calls Python's eval, exec or compile, or reads an attribute of a Python
object: names are looked up in dicts only, and only the functions above exist.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

MAX_LENGTH = 400  # RuleExpression, EligibleExpression and ValueExpression's maxLength
MAX_DEPTH = 40  # nesting of parentheses, not and unary minus

# Names an expression may start a path with; `items` only before one of its functions.
ROOTS = ("order", "user", "item")
ITEM_FUNCTIONS = ("any", "all", "count", "quantity", "total")
FUNCTIONS = {
    # name: (minimum, maximum) number of arguments (None: any number)
    "min": (1, None),
    "max": (1, None),
    "abs": (1, 1),
    "round": (1, 2),
    "contains": (2, 2),
    "startswith": (2, 2),
    "endswith": (2, 2),
    "lower": (1, 1),
    "upper": (1, 1),
    "length": (1, 1),
    "order.approved": (1, 1),
    **{f"items.{name}": (0, 1) for name in ITEM_FUNCTIONS},
}


class ExpressionError(ValueError):
    """An expression that cannot be parsed or evaluated; `str()` says why (and where)."""


# --- tokens ----------------------------------------------------------------------------

TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+))
  | (?P<string>'(?:[^']|'')*')
  | (?P<date>\#[^#]*\#)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><>|!=|<=|>=|==|[=<>+\-*/%(),.])
    """,
    re.VERBOSE,
)
KEYWORDS = {"and", "or", "not", "true", "false", "null"}


@dataclass(frozen=True)
class Token:
    kind: str  # number | string | date | name | keyword | op | end
    text: str
    position: int  # 1-based character position, for messages
    value: Any = None


def tokenize(text: str) -> list[Token]:
    tokens, position = [], 0
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None:
            if text[position] in "'#":
                closer = "quote" if text[position] == "'" else "#"
                raise ExpressionError(f"Unterminated {closer} at {position + 1}.")
            raise ExpressionError(f"Unexpected character {text[position]!r} at {position + 1}.")
        kind, raw = match.lastgroup, match.group()
        start, position = position + 1, match.end()
        if kind == "space":
            continue
        value = None
        if kind == "number":
            value = float(raw) if "." in raw else int(raw)
        elif kind == "string":
            value = raw[1:-1].replace("''", "'")
        elif kind == "date":
            value = parse_date(raw[1:-1], start)
        elif kind == "name" and raw.lower() in KEYWORDS:
            kind, raw = "keyword", raw.lower()
        tokens.append(Token(kind, raw, start, value))
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


def parse_date(text: str, position: int) -> datetime:
    """#M/D/YYYY# or #M/D/YYYY H:MM[:SS]#, in UTC."""
    for layout in ("%m/%d/%Y", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), layout).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise ExpressionError(f"Invalid date #{text}# at {position}: write #M/D/YYYY#.")


# --- syntax tree -----------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Path:
    parts: tuple[str, ...]  # ("order", "xp", "Region"); inside an items condition, bare


@dataclass(frozen=True)
class Call:
    name: str  # "min", "items.any", "order.approved"
    args: tuple


@dataclass(frozen=True)
class Unary:
    op: str  # "not" | "-"
    operand: Any


@dataclass(frozen=True)
class Binary:
    op: str
    left: Any
    right: Any


@dataclass(frozen=True)
class Expression:
    """A parsed expression: its text and its tree."""

    text: str
    tree: Any


COMPARISONS = {"=", "==", "<>", "!=", "<", "<=", ">", ">="}


class Parser:
    def __init__(self, text: str):
        self.tokens = tokenize(text)
        self.index = 0
        self.depth = 0
        self.in_items = False  # inside an items.* condition: bare names are the item's

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def take(self) -> Token:
        token = self.token
        self.index += 1
        return token

    def accept(self, kind: str, *texts: str) -> Token | None:
        token = self.token
        if token.kind == kind and (not texts or token.text in texts):
            return self.take()
        return None

    def expect(self, kind: str, text: str) -> Token:
        token = self.accept(kind, text)
        if token is None:
            raise self.unexpected(f"expected {text!r}")
        return token

    def unexpected(self, wanted: str) -> ExpressionError:
        token = self.token
        found = "end of expression" if token.kind == "end" else repr(token.text)
        return ExpressionError(f"Unexpected {found} at {token.position}: {wanted}.")

    def nested(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"The expression nests deeper than {MAX_DEPTH} levels.")

    def parse(self):
        tree = self.disjunction()
        if self.token.kind != "end":
            raise self.unexpected("expected an operator or the end")
        return tree

    def disjunction(self):
        tree = self.conjunction()
        while self.accept("keyword", "or"):
            tree = Binary("or", tree, self.conjunction())
        return tree

    def conjunction(self):
        tree = self.negation()
        while self.accept("keyword", "and"):
            tree = Binary("and", tree, self.negation())
        return tree

    def negation(self):
        if self.accept("keyword", "not"):
            self.nested()
            tree = Unary("not", self.negation())
            self.depth -= 1
            return tree
        return self.comparison()

    def comparison(self):
        tree = self.sum()
        token = self.token
        if token.kind == "op" and token.text in COMPARISONS:
            self.take()
            tree = Binary(token.text, tree, self.sum())
            if self.token.kind == "op" and self.token.text in COMPARISONS:
                raise self.unexpected("comparisons do not chain; use and")
        return tree

    def sum(self):
        tree = self.product()
        while token := self.accept("op", "+", "-"):
            tree = Binary(token.text, tree, self.product())
        return tree

    def product(self):
        tree = self.unary()
        while token := self.accept("op", "*", "/", "%"):
            tree = Binary(token.text, tree, self.unary())
        return tree

    def unary(self):
        if self.accept("op", "-"):
            self.nested()
            tree = Unary("-", self.unary())
            self.depth -= 1
            return tree
        return self.primary()

    def primary(self):
        token = self.token
        if token.kind in ("number", "string", "date"):
            self.take()
            return Literal(token.value)
        if token.kind == "keyword" and token.text in ("true", "false", "null"):
            self.take()
            return Literal({"true": True, "false": False, "null": None}[token.text])
        if self.accept("op", "("):
            self.nested()
            tree = self.disjunction()
            self.expect("op", ")")
            self.depth -= 1
            return tree
        if token.kind == "name":
            return self.path()
        raise self.unexpected("expected a value, a name or '('")

    def path(self):
        first = self.take()
        parts = [first.text]
        while self.accept("op", "."):
            name = self.accept("name") or self.accept("keyword")
            if name is None:
                raise self.unexpected("expected a property name after '.'")
            parts.append(name.text)
        if self.token.kind == "op" and self.token.text == "(":
            return self.call(".".join(parts), first)
        if parts[0] == "items":
            raise ExpressionError(
                f"items at {first.position} is a list: use one of "
                + ", ".join(f"items.{name}()" for name in ITEM_FUNCTIONS)
                + "."
            )
        if not self.in_items and parts[0] not in ROOTS:
            raise ExpressionError(
                f"Unknown name {parts[0]!r} at {first.position}: "
                "paths start with order, user, item or items."
            )
        return Path(tuple(parts))

    def call(self, name: str, token: Token):
        if name not in FUNCTIONS:
            raise ExpressionError(f"Unknown function {name}() at {token.position}.")
        self.expect("op", "(")
        self.nested()
        args = []
        outer = self.in_items
        self.in_items = outer or name.startswith("items.")
        if not self.accept("op", ")"):
            args.append(self.disjunction())
            while self.accept("op", ","):
                args.append(self.disjunction())
            self.expect("op", ")")
        self.in_items = outer
        self.depth -= 1
        low, high = FUNCTIONS[name]
        if len(args) < low or (high is not None and len(args) > high):
            wanted = str(low) if low == high else f"{low} to {high}" if high else f"{low} or more"
            raise ExpressionError(
                f"{name}() at {token.position} takes {wanted} argument(s), not {len(args)}."
            )
        return Call(name, tuple(args))


def parse(text: str) -> Expression:
    """The parsed expression; ExpressionError when it is not one."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("The expression is empty.")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"The expression is longer than {MAX_LENGTH} characters.")
    return Expression(text, Parser(text).parse())


# --- evaluation ------------------------------------------------------------------------


@dataclass
class Scope:
    """What an expression sees: the order, its line items, the user, the line item of a
    line-item-level promotion, and the IDs of the approval rules that approved the order."""

    order: dict | None = None
    items: list[dict] | None = None
    user: dict | None = None
    item: dict | None = None
    approved: frozenset[str] = frozenset()


def evaluate(expression: Expression | str, scope: Scope):
    """The value of the expression in `scope`; ExpressionError when it cannot be had
    (a division by zero, a comparison of a date with a number, ...)."""
    if isinstance(expression, str):
        expression = parse(expression)
    return Evaluator(scope).run(expression.tree, None)


def is_true(expression: Expression | str, scope: Scope) -> bool:
    return truthy(evaluate(expression, scope))


def truthy(value) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        return value != ""
    return bool(value)


def lookup(value, name: str):
    """A property of a dict (by name, else ignoring case); null for anything else."""
    if not isinstance(value, dict):
        return None
    if name in value:
        return value[name]
    lowered = name.lower()
    for key, item in value.items():
        if isinstance(key, str) and key.lower() == lowered:
            return item
    return None


def as_date(value):
    """A datetime from a datetime or an ISO 8601 string; else the value unchanged."""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return value
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return value


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class Evaluator:
    def __init__(self, scope: Scope):
        self.scope = scope

    def run(self, node, current: dict | None):
        """`current` is the line item an items.* condition is evaluated on."""
        match node:
            case Literal(value):
                return value
            case Path(parts):
                return self.path(parts, current)
            case Unary("not", operand):
                return not truthy(self.run(operand, current))
            case Unary("-", operand):
                value = self.run(operand, current)
                if not is_number(value):
                    raise ExpressionError(f"Cannot negate {kind(value)}.")
                return -value
            case Binary("and", left, right):
                return truthy(self.run(left, current)) and truthy(self.run(right, current))
            case Binary("or", left, right):
                return truthy(self.run(left, current)) or truthy(self.run(right, current))
            case Binary(op, left, right) if op in COMPARISONS:
                return compare(op, self.run(left, current), self.run(right, current))
            case Binary(op, left, right):
                return arithmetic(op, self.run(left, current), self.run(right, current))
            case Call(name, args):
                return self.call(name, args, current)
        raise ExpressionError("Unknown expression.")  # pragma: no cover - parse builds nodes

    def path(self, parts, current):
        roots = {"order": self.scope.order, "user": self.scope.user, "item": self.scope.item}
        if current is not None and parts[0] not in roots:
            value = current
        else:
            value, parts = roots.get(parts[0]), parts[1:]
        for part in parts:
            value = lookup(value, part)
        return value

    def call(self, name, args, current):
        if name.startswith("items."):
            return self.items(name.removeprefix("items."), args)
        if name == "order.approved":
            return self.run(args[0], current) in self.scope.approved
        values = [self.run(arg, current) for arg in args]
        if name in ("min", "max"):
            if not all(is_number(v) for v in values):
                raise ExpressionError(f"{name}() takes numbers.")
            return min(values) if name == "min" else max(values)
        if name in ("abs", "round"):
            if not all(is_number(v) for v in values):
                raise ExpressionError(f"{name}() takes numbers.")
            if name == "abs":
                return abs(values[0])
            digits = int(values[1]) if len(values) > 1 else 0
            if not 0 <= digits <= 10:
                raise ExpressionError("round() takes 0 to 10 digits.")
            return round(values[0], digits)
        texts = ["" if v is None else v for v in values]
        if not all(isinstance(t, str) for t in texts):
            raise ExpressionError(f"{name}() takes strings.")
        match name:
            case "contains":
                return texts[1].lower() in texts[0].lower()
            case "startswith":
                return texts[0].lower().startswith(texts[1].lower())
            case "endswith":
                return texts[0].lower().endswith(texts[1].lower())
            case "lower":
                return texts[0].lower()
            case "upper":
                return texts[0].upper()
            case _:  # length
                return len(texts[0])

    def items(self, name, args):
        items = [item for item in (self.scope.items or []) if isinstance(item, dict)]
        condition = args[0] if args else Literal(True)
        matching = [item for item in items if truthy(self.run(condition, item))]
        match name:
            case "any":
                return bool(matching)
            case "all":
                return len(matching) == len(items)
            case "count":
                return len(matching)
            case "quantity":
                return sum(number(lookup(item, "Quantity")) for item in matching)
            case _:  # total
                return round(sum(number(lookup(item, "LineTotal")) for item in matching), 2)


def number(value) -> float:
    return value if is_number(value) else 0


def kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if is_number(value):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, datetime):
        return "a date"
    return "an object"


def compare(op: str, left, right) -> bool:
    if isinstance(left, datetime) or isinstance(right, datetime):
        left, right = as_date(left), as_date(right)
    if op in ("=", "=="):
        return equal(left, right)
    if op in ("<>", "!="):
        return not equal(left, right)
    # An order against null (a missing property) is false, never an error.
    if left is None or right is None:
        return False
    same = is_number(left) and is_number(right)
    same = same or any(isinstance(left, t) and isinstance(right, t) for t in (str, datetime))
    if not same:
        raise ExpressionError(f"Cannot compare {kind(left)} with {kind(right)} using {op}.")
    return {
        "<": left < right,
        "<=": left <= right,
        ">": left > right,
        ">=": left >= right,
    }[op]


def equal(left, right) -> bool:
    if is_number(left) and is_number(right):
        return left == right
    if type(left) is not type(right):
        return False
    return left == right


def arithmetic(op: str, left, right):
    if op == "+" and isinstance(left, str) and isinstance(right, str):
        return left + right
    if not (is_number(left) and is_number(right)):
        raise ExpressionError(f"Cannot compute {kind(left)} {op} {kind(right)}.")
    if op in ("/", "%") and right == 0:
        raise ExpressionError("Division by zero.")
    try:
        result = {
            "+": lambda: left + right,
            "-": lambda: left - right,
            "*": lambda: left * right,
            "/": lambda: left / right,
            "%": lambda: left % right,
        }[op]()
    except OverflowError:
        raise ExpressionError("The result is too large.") from None
    if isinstance(result, float) and not math.isfinite(result):
        raise ExpressionError("The result is too large.")
    return result
