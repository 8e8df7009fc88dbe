"""Operations matching what is typed in "Search operations", best first.

A term matches an operation's operationId, tag, path or summary, case-insensitively.
Each term is ranked by how well it matches: EXACT (the operationId, one of its dotted
parts or the tag), PREFIX (one of those starts with it), PATH (the path or one of its
segments starts with it), WORD (a word of the summary starts with it), then ANYWHERE.
Every term must match; operations come by the sum of their terms' ranks, then shorter
operationIds first (`me`: Me.Get before Me.ListAddresses), then in the document's order.
"""

import re
from dataclasses import dataclass
from functools import cached_property

EXACT, PREFIX, PATH, WORD, ANYWHERE = range(5)
LIMIT = 50
MAX_QUERY = 200


@dataclass(frozen=True)
class Results:
    query: str
    operations: tuple  # the first LIMIT, best first
    total: int  # how many matched in all


class Keys:
    """An operation's lower-cased texts, computed once per operation."""

    def __init__(self, op):
        self.operation_id = op.operation_id.lower()
        self.parts = tuple(self.operation_id.split("."))
        self.tag = op.tag.lower()
        self.tag_joined = self.tag.replace(" ", "")
        self.path = op.path.lower()
        self.segments = tuple(s.strip("{}") for s in self.path.split("/") if s)
        self.summary = op.summary.lower()
        self.words = tuple(re.findall(r"\w+", self.summary))
        self.everything = " ".join(
            (self.operation_id, self.tag, self.tag_joined, self.path, self.summary)
        )

    @cached_property
    def names(self):
        return (self.operation_id, self.tag, self.tag_joined, *self.parts)

    def rank(self, term):
        if term in self.names:
            return EXACT
        if any(name.startswith(term) for name in self.names):
            return PREFIX
        if self.path.startswith(term) or any(s.startswith(term) for s in self.segments):
            return PATH
        if any(word.startswith(term) for word in self.words):
            return WORD
        if term in self.everything:
            return ANYWHERE
        return None


def keys(op):
    """op's Keys (kept on the operation: the catalog is parsed once, searched often)."""
    found = op.__dict__.get("_keys")
    if found is None:
        found = Keys(op)
        op.__dict__["_keys"] = found  # a frozen dataclass still has its own __dict__
    return found


def index(catalog):
    """Compute every operation's Keys now."""
    for op in catalog.operations:
        keys(op)


def search(catalog, query, limit=LIMIT):
    """Results for query (empty when the query is blank)."""
    terms = query[:MAX_QUERY].lower().split()
    if not terms:
        return Results(query, (), 0)
    ranked = []
    for op in catalog.operations:
        op_keys = keys(op)
        score = 0
        for term in terms:
            rank = op_keys.rank(term)
            if rank is None:
                break
            score += rank
        else:
            ranked.append((score, len(op.operation_id), op.index, op))
    ranked.sort(key=lambda item: item[:3])
    return Results(query, tuple(item[3] for item in ranked[:limit]), len(ranked))
