"""A compiled stand-in for spaCy's attribute ruler (tag -> part of speech, morphology and lemma
exceptions). The model's own rules are read and applied through hash tables instead of spaCy's
general token matcher, which spent about 15% of the English analysis time on this one step. Rules
using anything but TAG, LOWER, DEP and IS_SPACE with equality, IN, NOT_IN or REGEX are not
compiled: ``CompiledRuler`` raises UnsupportedRule (``compile_ruler`` returns None) and the original
ruler stays in the pipeline."""

from __future__ import annotations

import re
from collections import defaultdict

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.strings import get_string_id
from spacy.tokens._retokenize import set_token_attrs

_SLOTS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_COLUMNS = [TAG, LOWER, DEP, IS_SPACE]


class UnsupportedRule(Exception):
    """A rule uses something the compiled ruler does not implement."""


def _predicate(slot: int, value):
    """A test on one token's (tag, lower, dep, is_space) tuple of string hashes."""
    if slot == 3:
        if not isinstance(value, bool):
            raise UnsupportedRule(value)
        return lambda feats, strings: bool(feats[3]) == value
    if isinstance(value, str):
        h = get_string_id(value)
        return lambda feats, strings: feats[slot] == h
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op == "IN":
            hs = frozenset(get_string_id(v) for v in arg)
            return lambda feats, strings: feats[slot] in hs
        if op == "NOT_IN":
            hs = frozenset(get_string_id(v) for v in arg)
            return lambda feats, strings: feats[slot] not in hs
        if op == "REGEX":
            rx = re.compile(arg)
            return lambda feats, strings: bool(rx.search(strings[feats[slot]] if feats[slot] else ""))
    raise UnsupportedRule(value)


def _anchors(token: dict) -> list[tuple[int, int]] | None:
    """(slot, hash) keys under which a rule is indexed, from an equality or IN test on TAG, LOWER or
    DEP; None when the rule must be tried on every token."""
    for name in ("TAG", "LOWER", "DEP"):
        value = token.get(name)
        if isinstance(value, str):
            return [(_SLOTS[name], get_string_id(value))]
        if isinstance(value, dict) and set(value) == {"IN"}:
            return [(_SLOTS[name], get_string_id(v)) for v in value["IN"]]
    return None


def _candidates(table: dict, always: list, feats: tuple) -> list:
    """The rules indexed under this token's TAG, LOWER or DEP value, and those tried on every token."""
    found = always
    for slot in range(3):
        rules = table.get((slot, feats[slot]))
        if rules:
            found = found + rules
    return found


class CompiledRuler:
    """Applies an ``AttributeRuler``'s rules with the ruler's semantics: every rule is matched on
    the tokens as they were before the step, and where several rules set one token, the later
    rule wins."""

    def __init__(self, ruler):
        self.ruler_attrs = ruler.attrs
        self.single: dict[tuple[int, int], list] = defaultdict(list)
        self.single_any: list = []
        self.multi: dict[tuple[int, int], list] = defaultdict(list)
        self.multi_any: list = []
        for order, pattern in enumerate(ruler.patterns):
            index = ruler.indices[order]
            for seq in pattern["patterns"]:
                tests = []
                for token in seq:
                    unknown = set(token) - set(_SLOTS)
                    if unknown:
                        raise UnsupportedRule(unknown)
                    tests.append([_predicate(_SLOTS[k], v) for k, v in token.items()])
                rule = (order, tests, index)
                anchors = _anchors(seq[0])
                table, fallback = (self.single, self.single_any) if len(seq) == 1 else (self.multi, self.multi_any)
                if anchors is None:
                    fallback.append(rule)
                else:
                    for key in anchors:
                        table[key].append(rule)
        self._memo: dict[tuple, tuple[int, ...]] = {}

    def _single_matches(self, feats: tuple, strings) -> tuple[int, ...]:
        found = self._memo.get(feats)
        if found is None:
            if len(self._memo) > 500_000:  # a long-running process meets ever new words
                self._memo.clear()
            rules = _candidates(self.single, self.single_any, feats)
            found = tuple(sorted({o for o, tests, _ in rules if all(t(feats, strings) for t in tests[0])}))
            self._memo[feats] = found
        return found

    def __call__(self, doc):
        strings = doc.vocab.strings
        rows = [tuple(r) for r in doc.to_array(_COLUMNS).tolist()]
        n = len(rows)
        hits: dict[int, list[int]] = {}
        for i, feats in enumerate(rows):
            found = self._single_matches(feats, strings)
            if found:
                hits.setdefault(i, []).extend(found)
            for order, tests, index in _candidates(self.multi, self.multi_any, feats):
                end = i + len(tests)
                if end > n or not all(all(t(rows[i + k], strings) for t in tests[k]) for k in range(len(tests))):
                    continue
                target = (end + index) if index < 0 else i + index
                hits.setdefault(target, []).append(order)
        for i, orders in hits.items():
            if len(orders) == 1:
                set_token_attrs(doc[i], self.ruler_attrs[orders[0]])
                continue
            merged: dict = {}
            for order in sorted(set(orders)):
                merged.update(self.ruler_attrs[order])
            set_token_attrs(doc[i], merged)
        return doc


def compile_ruler(ruler) -> CompiledRuler | None:
    """The compiled form of ``ruler``, or None when one of its rules is beyond what it compiles."""
    try:
        return CompiledRuler(ruler)
    except UnsupportedRule:
        return None
