"""Conflicts: the same slot given different values by different articles.

A conflict needs evidence that both values describe the same thing, and an omission is never one:
- title: the same person (matched by name) carries incompatible titles ("Deputy Secretary" vs
  "Undersecretary of State"): different role words, a different rank modifier, or a different
  "of ..." complement. A title that only adds detail ("US Secretary of State" vs "Secretary of State")
  is not a conflict.
- number / count: aligned statements carry one number each with the same unit and different values.
- date: aligned statements carry one calendar date each, of one grain, with different values.
- place: closely aligned statements in one language name one different place each.
- name: one entity spelled two ways (close strings, same type) in two articles.
For every kind, a value the other article also states elsewhere is not a conflict: the two articles
then agree on it and are talking about different things."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..analyze.lexicon import RANK_MODIFIERS, ROLE_WORDS
from ..model import Article, DateMention, Entity, NumberMention, Span
from .align import Alignment
from .result import Conflict, Mention
from .units import Unit

PLACE_MIN_SCORE = 0.75  # statements must be this close before a place difference counts
NAME_MIN_RATIO = 0.8
_TOKEN = re.compile(r"[\w.'’-]+")
_CONNECT = frozenset("of for and the".split())
_PLACE_LABELS = {"GPE", "LOC", "FAC"}


# ----------------------------------------------------------------------------- titles
@dataclass
class Titled:
    article: int
    name: str  # the person's name as written, without the title
    key: str  # surname, lowercased
    first: str | None
    title: Span


def person_titles(article: Article, index: int) -> list[Titled]:
    """Every (person, title) pair the article states, outside boilerplate."""
    out = []
    for ent in article.entities:
        if ent.label != "PERSON" or article.is_boilerplate(ent.span):
            continue
        name_span, inner_title = _split_inner_title(article.text, ent.span)
        words = [w for w in re.sub(r"['’]s$", "", name_span.text).split() if w]
        if not words:
            continue
        key, first = words[-1].lower(), (words[0].lower() if len(words) > 1 else None)
        for title in filter(None, (inner_title, _title_before(article.text, name_span), _title_after(article.text, ent.span))):
            out.append(Titled(index, " ".join(words), key, first, title))
    return out


def _is_role(word: str) -> bool:
    w = word.lower().strip(".,")
    return w in ROLE_WORDS or w in RANK_MODIFIERS or any(p in ROLE_WORDS for p in w.split("-"))


def _split_inner_title(text: str, span: Span) -> tuple[Span, Span | None]:
    """spaCy sometimes tags "Deputy Secretary Christopher Landau" as one PERSON: split it."""
    toks = list(_TOKEN.finditer(span.text))
    k = 0
    while k < len(toks) - 1 and (_is_role(toks[k].group()) or (k and toks[k].group().lower() in _CONNECT)):
        k += 1
    if k == 0 or not any(_is_role(t.group()) for t in toks[:k]):
        return span, None
    title = Span.of(text, span.start, span.start + toks[k - 1].end())
    return Span.of(text, span.start + toks[k].start(), span.end), title


def _title_before(text: str, name: Span) -> Span | None:
    """Capitalised or role words right before the name: "US Secretary of State [Marco Rubio]"."""
    line_start = max(text.rfind("\n", 0, name.start) + 1, name.start - 80)
    toks = list(_TOKEN.finditer(text, line_start, name.start))
    if not toks or text[toks[-1].end() : name.start].strip():
        return None
    k = len(toks)
    while k > 0:
        w = toks[k - 1].group()
        gap = text[toks[k - 1].end() : toks[k].start() if k < len(toks) else name.start]
        if gap.strip():  # punctuation between words ends the title
            break
        if w[0].isupper() or _is_role(w) or (w.lower() in {"of", "for"} and k < len(toks)):
            k -= 1
            continue
        break
    while k < len(toks) and toks[k].group().lower() in _CONNECT | {"the"}:
        k += 1
    run = toks[k:]
    if not run or not any(_is_role(t.group()) for t in run):
        return None
    return Span.of(text, run[0].start(), run[-1].end())


_APPOSITION = re.compile(r",\s+(?:(?:the|a|an|its|his|her|their)\s+)?(?P<t>[^,.;:()\"“”]{2,60}?)(?=[,.;])")


def _title_after(text: str, ent: Span) -> Span | None:
    """An apposition after the name: "Ana Silva, the port director, said"."""
    m = _APPOSITION.match(text, ent.end)
    if not m:
        return None
    words = m.group("t").split()
    if not 1 <= len(words) <= 7 or not any(_is_role(w) for w in words):
        return None
    if words[0].lower() in {"who", "which", "that", "said", "says", "told", "and", "but"}:
        return None
    return Span.of(text, m.start("t"), m.end("t"))


def _title_parts(title: str) -> tuple[frozenset, frozenset, frozenset]:
    words = [w.lower().strip(".,").replace("u.s", "us") for w in title.split()]
    heads = frozenset(w for w in words if _is_role(w) and w not in RANK_MODIFIERS)
    mods = frozenset(w for w in words if w in RANK_MODIFIERS)
    after_of = frozenset(words[words.index("of") + 1 :]) if "of" in words else frozenset()
    return heads, mods, after_of - {"the"}


def titles_conflict(a: str, b: str) -> bool:
    ha, ma, ca = _title_parts(a)
    hb, mb, cb = _title_parts(b)
    if not ha or not hb:
        return False
    if not (ha & hb) or ma != mb:
        return True
    return bool(ca and cb and ca != cb)


def title_conflicts(articles: list[Article]) -> list[Conflict]:
    per_article = [person_titles(a, i) for i, a in enumerate(articles)]
    people: dict[str, list[Titled]] = {}
    for items in per_article:
        for t in items:
            people.setdefault(t.key, []).append(t)
    out = []
    for items in people.values():
        if len({t.article for t in items}) < 2:
            continue
        firsts = {t.first for t in items if t.first}
        if len(firsts) > 1:  # two different people with one surname
            continue
        values: list[Titled] = []
        for t in items:
            others = [o for o in items if o.article != t.article and articles[o.article].language == articles[t.article].language]
            if not others:
                continue
            # the title is disputed when some other article gives this person an incompatible title
            # and never uses a compatible one
            by_article: dict[int, list[Titled]] = {}
            for o in others:
                by_article.setdefault(o.article, []).append(o)
            if any(
                all(titles_conflict(t.title.text, o.title.text) for o in os_)
                for os_ in by_article.values()
            ):
                if not any(v.article == t.article and v.title.text == t.title.text for v in values):
                    values.append(t)
        if len({v.article for v in values}) >= 2:
            name = max((t.name for t in items), key=len)
            out.append(
                Conflict(
                    kind="title",
                    about=name,
                    values=[_mention(articles[v.article], v.title) for v in values],
                    evidence=f"same person ({name}) named with incompatible titles",
                )
            )
    return out


# ----------------------------------------------------------------------------- numbers, dates, places
def _unit_key(n: NumberMention) -> str | None:
    if not n.unit:
        return None
    if not n.unit[0].isalpha():
        return n.unit
    head = n.unit.split()[-1].lower()
    return head[:-1] if head.endswith("s") and len(head) > 3 else head


def _point_date(d: DateMention) -> bool:
    return bool(d.value) and bool(re.match(r"^(\d{4}|XXXX)-\d\d", d.value or ""))


def _dates_differ(a: str, b: str) -> bool:
    pa, pb = a.split("-"), b.split("-")
    if len(pa) != len(pb):
        return False
    return any(x != y for x, y in zip(pa, pb) if "XXXX" not in (x, y))


def statement_conflicts(articles: list[Article], units: list[Unit], alignment: Alignment) -> list[Conflict]:
    """Number, count, date and place conflicts inside aligned statement groups."""
    all_numbers = [{(_unit_key(n), n.value) for n in a.numbers if not a.is_boilerplate(n.span)} for a in articles]
    all_dates = [{d.value for d in a.dates if _point_date(d)} for a in articles]
    all_places = [{e.span.text.lower() for e in a.entities if e.label in _PLACE_LABELS} for a in articles]
    out: list[Conflict] = []
    seen: set[tuple] = set()
    for gi, group in enumerate(alignment.groups):
        arts = sorted({units[k].article for k in group})
        if len(arts) < 2:
            continue
        rows = {a: [k for k in group if units[k].article == a] for a in arts}
        for x in range(len(arts)):
            for y in range(x + 1, len(arts)):
                a, b = arts[x], arts[y]
                ua = [units[k] for k in rows[a]]
                ub = [units[k] for k in rows[b]]
                found = list(_number_conflicts(articles, ua, ub, all_numbers, a, b, gi))
                found += _date_conflicts(articles, ua, ub, all_dates, a, b, gi)
                if articles[a].language == articles[b].language:
                    # edges are keyed (unit of the earlier article, unit of the later one)
                    score = max((alignment.edges.get((u, v), 0.0) for u in rows[a] for v in rows[b]), default=0.0)
                    if score >= PLACE_MIN_SCORE:
                        found += _place_conflicts(articles, ua, ub, all_places, a, b, gi)
                for c in found:
                    _add(out, seen, c)
    return out


def _add(out: list[Conflict], seen: set, c: Conflict) -> None:
    sig = (c.kind, tuple((v.article, v.start, v.end) for v in c.values))
    if sig not in seen:
        seen.add(sig)
        out.append(c)


def _number_conflicts(articles, ua, ub, all_numbers, a, b, gi):
    na = [n for u in ua for n in u.numbers]
    nb = [n for u in ub for n in u.numbers]
    for key in {_unit_key(n) for n in na} & {_unit_key(n) for n in nb} - {None}:
        xa = [n for n in na if _unit_key(n) == key]
        xb = [n for n in nb if _unit_key(n) == key]
        if len(xa) != 1 or len(xb) != 1 or xa[0].value == xb[0].value:
            continue
        if (key, xa[0].value) in all_numbers[b] or (key, xb[0].value) in all_numbers[a]:
            continue
        kind = "count" if key[0].isalpha() and float(xa[0].value).is_integer() and float(xb[0].value).is_integer() else "number"
        yield Conflict(
            kind=kind,
            about=xa[0].unit or key,
            values=[_mention(articles[a], xa[0].span), _mention(articles[b], xb[0].span)],
            evidence=f"aligned statements (group {gi}) give different values for {key}",
            statement=gi,
        )


def _date_conflicts(articles, ua, ub, all_dates, a, b, gi):
    da = [d for u in ua for d in u.dates if _point_date(d)]
    db = [d for u in ub for d in u.dates if _point_date(d)]
    if len(da) != 1 or len(db) != 1 or da[0].grain != db[0].grain:
        return
    va, vb = da[0].value or "", db[0].value or ""
    if not _dates_differ(va, vb) or va in all_dates[b] or vb in all_dates[a]:
        return
    yield Conflict(
        kind="date",
        about=_context(ua[0].span),
        values=[_mention(articles[a], da[0].span), _mention(articles[b], db[0].span)],
        evidence=f"aligned statements (group {gi}) give different dates ({va} vs {vb})",
        statement=gi,
    )


def _place_conflicts(articles, ua, ub, all_places, a, b, gi):
    pa = _places(ua)
    pb = _places(ub)
    if len(pa) != 1 or len(pb) != 1:
        return
    ea, eb = pa[0], pb[0]
    ta, tb = ea.span.text.lower(), eb.span.text.lower()
    if ta == tb or ta in tb or tb in ta or ta in all_places[b] or tb in all_places[a]:
        return
    yield Conflict(
        kind="place",
        about=_context(ua[0].span),
        values=[_mention(articles[a], ea.span), _mention(articles[b], eb.span)],
        evidence=f"closely aligned statements (group {gi}) name different places",
        statement=gi,
    )


def _places(us: list[Unit]) -> list[Entity]:
    seen, out = set(), []
    for u in us:
        for e in u.entities:
            if e.label in _PLACE_LABELS and e.span.text.lower() not in seen:
                seen.add(e.span.text.lower())
                out.append(e)
    return out


# ----------------------------------------------------------------------------- name spellings
def name_conflicts(articles: list[Article]) -> list[Conflict]:
    """One entity spelled two ways: same type, close strings, each spelling absent from the other article."""
    names = []
    for i, art in enumerate(articles):
        seen: dict[tuple[str, str], Entity] = {}
        for e in art.entities:
            if e.label in {"PERSON", "ORG", "GPE"} and not art.is_boilerplate(e.span):
                t = _name_key(e.span.text)
                if len(t) >= 5 and t.isascii() == e.span.text.isascii():
                    seen.setdefault((e.label, t), e)
        names.append(seen)
    out = []
    for a in range(len(articles)):
        for b in range(a + 1, len(articles)):
            texts_a = {t for _, t in names[a]}
            texts_b = {t for _, t in names[b]}
            for (label, ta), ea in names[a].items():
                if ta in texts_b:
                    continue
                for (lb, tb), eb in names[b].items():
                    if lb != label or tb in texts_a or len(ta.split()) != len(tb.split()):
                        continue
                    if ta in tb or tb in ta:
                        continue
                    if difflib.SequenceMatcher(None, ta, tb).ratio() >= NAME_MIN_RATIO:
                        out.append(
                            Conflict(
                                kind="name",
                                about=ta,
                                values=[_mention(articles[a], ea.span), _mention(articles[b], eb.span)],
                                evidence=f"{label} names that differ by a few letters: {ta!r} vs {tb!r}",
                            )
                        )
    return out


def _name_key(text: str) -> str:
    """Lowercased, without quotation marks, a leading "the" or a possessive "'s"."""
    t = re.sub(r"[\"“”«»「」《》]", "", text).strip().lower()
    t = re.sub(r"['’]s$", "", t)
    return re.sub(r"^the\s+", "", t).strip()


def _mention(article: Article, span: Span) -> Mention:
    return Mention(article.id, span.start, span.end, span.text)


def _context(span: Span, words: int = 10) -> str:
    w = span.text.split()
    return " ".join(w[:words]) + (" …" if len(w) > words else "")


def merge_pairs(conflicts: list[Conflict]) -> list[Conflict]:
    """Pairwise findings about one slot (same kind, statement and subject) become one conflict
    listing every article's value."""
    out: list[Conflict] = []
    index: dict[tuple, Conflict] = {}
    for c in conflicts:
        key = (c.kind, c.statement, c.about) if c.statement is not None else None
        if key is None or key not in index:
            out.append(c)
            if key is not None:
                index[key] = c
            continue
        have = {(v.article, v.start, v.end) for v in index[key].values}
        index[key].values.extend(v for v in c.values if (v.article, v.start, v.end) not in have)
    return out


def find_conflicts(articles: list[Article], units: list[Unit], alignment: Alignment) -> list[Conflict]:
    found = title_conflicts(articles) + statement_conflicts(articles, units, alignment) + name_conflicts(articles)
    return merge_pairs(found)
