"""Quotations: direct (inside quotation marks, any script) and indirect (reported speech after
"said that", "according to", "X believes ..."), each with its speaker and cue spans when the text
has them. English uses spaCy's dependency parse; Chinese and other languages use patterns."""

from __future__ import annotations

import bisect
import re
from typing import Iterable

from ..model import Quote, Span
from . import frames
from .nlp import sentence_of
from .lexicon import (
    CUE_VERBS,
    DOCUMENT_NOUNS,
    OBJECT_CUE_VERBS,
    XCOMP_CUE_VERBS,
    DOCUMENT_ONLY_VERBS,
    QUOTE_PAIRS,
    ZH_SPEECH,
)

SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj"}
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you"}
_MIN_WORDS_FREE_QUOTE = 3  # shorter quoted stretches without a cue are scare quotes, not quotations


def find_quoted(text: str, min_chars: int = 3) -> list[tuple[int, int]]:
    """(start, end) of every stretch inside matching quotation marks, marks excluded. Straight
    double quotes pair up left to right within a paragraph; single curly quotes only count when
    they hold several words (apostrophes share the character); two apostrophes ('') and two
    backticks (``) typed for quotation marks count as one mark."""
    out: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        s, base = para.group(), para.start()
        doubled = [(m.start(1), m.end(1)) for m in _DOUBLED_MARKS.finditer(s) if len(m.group(1).strip()) >= min_chars]
        out.extend((base + a, base + b) for a, b in doubled)
        i = 0
        while i < len(s):
            ch = s[i]
            inside = next((b for a, b in doubled if a <= i < b), None)
            if inside is not None:  # already taken as a ''...'' quotation
                i = inside
                continue
            close = QUOTE_PAIRS.get(ch)
            if close is None or (ch == "\u2018" and not _opens_single(s, i)):
                i += 1
                continue
            j = _find_close(s, i + 1, ch, close)
            if j < 0:
                i += 1
                continue
            inner = s[i + 1 : j]
            if len(inner.strip()) >= min_chars and (ch != "\u2018" or len(inner.split()) >= 3):
                out.append((base + i + 1, base + j))
            i = j + 1
    out.sort()
    return out


# Quotation marks typed as two characters: ''...'' (the New York Times archive, Gigaword) and
# ``...'' (Penn Treebank style).
_DOUBLED_MARKS = re.compile(r"(?:(?<![\w'])''|``)(?=\S)(.+?)(?<=\S)''(?!\w)")


def _opens_single(s: str, i: int) -> bool:
    return i == 0 or not s[i - 1].isalnum()


def _find_close(s: str, start: int, opening: str, close: str) -> int:
    depth = 0
    for k in range(start, len(s)):
        c = s[k]
        if c == close and opening != close:
            if depth == 0:
                if close == "\u2019" and k + 1 < len(s) and s[k + 1].isalpha():
                    continue  # an apostrophe inside a word
                return k
            depth -= 1
        elif c == opening and opening != close:
            depth += 1
        elif c == close:
            return k
    return -1


# ---------------------------------------------------------------- English (spaCy parse)


def english_quotes(text: str, doc, *, indirect: bool = True, min_chars: int = 3, learned: bool = True) -> list[Quote]:
    """Quotations of an English article from its spaCy ``doc``. ``learned``: also the attributions
    of learned frames (see :mod:`storydiff.analyze.frames`) where the rules found none."""
    quoted = find_quoted(text, min_chars)
    starts = _token_starts(doc)
    tok_at = _token_index(starts)
    quotes: list[Quote] = []
    prev_speaker: tuple[Span | None, Span | None, int] = (None, None, -1)
    for qs, qe in quoted:
        sent = _quote_window(text, doc, tok_at, qs, qe)
        cue_tok = _cue_for_quote(sent, qs, qe, quoted) if sent is not None else None
        speaker = cue = None
        if cue_tok is None and sent is not None:
            cue_tok = _governing_verb(text, doc, tok_at(qs), qs, qe)
        if cue_tok is not None:
            cue = _cue_span(text, cue_tok)
            speaker = _speaker_of(text, cue_tok, quoted)
            if speaker is None and cue.start >= qe:
                speaker = _speaker_before_cue(text, qe, cue.start)
            if speaker is None:
                speaker = _name_near_cue(text, cue_tok, quoted)
        else:
            speaker = _dash_speaker(text, qe)
        if cue_tok is None and speaker is None and sent is not None:
            speaker = _colon_speaker(text, doc, tok_at, qs, quoted)
            if speaker is None and prev_speaker[2] >= 0 and _continues(text, prev_speaker[2], qs):
                # The second half of "A," he said. "B" and a quotation running on into the next
                # paragraph belong to the previous speaker (one attribution within a paragraph).
                speaker = prev_speaker[0]
                if "\n" not in text[prev_speaker[2] : qs]:
                    cue = prev_speaker[1]
        if _is_title_or_name(text, qs, qe):
            continue  # a name or title in quotation marks ("New York Times"), not a quotation
        words = len(text[qs:qe].split())
        if speaker is None and (words < 2 or (cue_tok is None and words < _MIN_WORDS_FREE_QUOTE)):
            continue
        quotes.append(Quote(Span.of(text, qs, qe), "direct", speaker, cue))
        if speaker is not None:
            prev_speaker = (speaker, cue, qe)
    if indirect:
        inside = _inside_mask(starts, quoted)
        quotes.extend(_indirect(text, doc, quoted, inside))
        if learned:
            quotes.extend(_framed(text, doc, quoted, _taken(quotes, tok_at, inside)))
    quotes.sort(key=lambda q: q.content.start)
    return quotes


def _quote_window(text: str, doc, tok_at, qs: int, qe: int):
    """The tokens that may hold a quotation's cue: from the sentence where it opens to the sentence
    right after it closes ("..., he said."), never leaving the paragraph."""
    if not len(doc):
        return None
    para_start = text.rfind("\n", 0, qs) + 1
    para_end = text.find("\n", qe)
    para_end = len(text) if para_end < 0 else para_end
    first = sentence_of(doc[tok_at(qs)])
    after = qe  # past the closing mark(s): ’” and '' close nested and doubled quotations
    while after < len(text) - 1 and text[after] in _CLOSING_MARKS:
        after += 1
    nxt = tok_at(max(after, min(qe + 1, len(text) - 1)))
    last = sentence_of(doc[nxt]) if doc[nxt].idx < para_end else sentence_of(doc[tok_at(qe - 1)])
    lo, hi = min(first.start, last.start), max(first.end, last.end)
    while lo < hi and doc[lo].idx < para_start:
        lo += 1
    while hi > lo and doc[hi - 1].idx >= para_end:
        hi -= 1
    return doc[lo:hi] if hi > lo else None


def _token_starts(doc) -> list[int]:
    from spacy.attrs import IDX

    return doc.to_array([IDX]).tolist() if len(doc) else []


def _token_index(starts: list[int]):
    """A function: character offset -> index of the token holding it (``starts``: token offsets)."""

    def at(char: int) -> int:
        return max(0, bisect.bisect_right(starts, char) - 1)

    return at


def _inside_mask(starts: list[int], spans: list[tuple[int, int]]) -> list[bool]:
    """For every token (given by its start offset), whether it starts inside one of ``spans``."""
    mask = [False] * len(starts)
    for s, e in spans:
        for i in range(bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)):
            mask[i] = True
    return mask


def _inside(tok, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s <= tok.idx < e for s, e in spans)


def _is_cue(tok) -> bool:
    lemma = tok.lemma_.lower() if tok.lemma_ else tok.lower_
    if tok.pos_ not in {"VERB", "AUX"} or lemma not in CUE_VERBS:
        return False
    if lemma in DOCUMENT_ONLY_VERBS:
        subj = [c for c in tok.children if c.dep_ in SUBJ_DEPS]
        return bool(subj) and subj[0].lemma_.lower() in DOCUMENT_NOUNS
    return True


def _cue_for_quote(sent, qs: int, qe: int, quoted: list[tuple[int, int]]):
    """The reporting verb that governs the quotation: a cue verb in the same sentence, outside any
    quotation, preferring one whose subtree holds the quote, then the nearest."""
    best, best_key = None, None
    for tok in sent:
        if _inside(tok, quoted) or not _is_cue(tok):
            continue
        governs = tok.left_edge.idx <= qs and tok.right_edge.idx + len(tok.right_edge) >= qe
        dist = qs - (tok.idx + len(tok)) if tok.idx < qs else tok.idx - qe
        has_subj = any(c.dep_ in SUBJ_DEPS or c.dep_ == "agent" for c in tok.children)
        key = (not governs, not has_subj, abs(dist))
        if best_key is None or key < best_key:
            best, best_key = tok, key
    return best


def _governing_verb(text: str, doc, first: int, qs: int, qe: int):
    """The verb outside the quotation whose clause embeds it ("X called it 'rotten'"), when that
    verb has a subject: the quotation is that subject's words."""
    tok = doc[first]
    para_start = text.rfind("\n", 0, qs) + 1
    for _ in range(8):
        if tok.head is tok:
            return None
        tok = tok.head
        if qs <= tok.idx < qe:
            continue
        if tok.idx < para_start or "\n" in text[min(tok.idx, qe) : max(tok.idx, qs)]:
            return None
        if tok.lemma_ == "be":
            continue  # 'his claims were "..."': the subject of a copula did not say the quotation
        if tok.pos_ in {"VERB", "AUX"} and any(c.dep_ in {"nsubj", "nsubjpass"} for c in tok.children):
            return tok
        if tok.pos_ in {"VERB", "AUX"}:
            continue
    return None


def _cue_span(text: str, tok) -> Span:
    # "according to", "pointed out", "has said" -> keep particles that complete the cue
    end = tok.idx + len(tok)
    for c in tok.children:
        if c.dep_ == "prt" and c.i == tok.i + 1:
            end = c.idx + len(c)
    if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to":
        end = tok.nbor().idx + len(tok.nbor())
    return Span.of(text, tok.idx, end)


def _subject(tok):
    """The grammatical speaker of cue ``tok``: its subject, a passive agent, or the subject it
    shares with a coordinated or governing verb."""
    subjects = [c for c in tok.children if c.dep_ in {"nsubj", "csubj"}]
    if subjects:  # '"That," he said': the parse may give the quoted pronoun as a second subject
        return min(subjects, key=lambda c: abs(c.i - tok.i))
    for c in tok.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    for c in tok.children:
        if c.dep_ == "nsubjpass":
            return c
    if tok.dep_ in {"conj", "xcomp", "advcl"} and tok.head is not tok:
        if tok.dep_ == "advcl" and tok.tag_ != "VBG":
            return None
        return _subject(tok.head)
    if tok.dep_ == "relcl":  # "the official, who said ..." -> the noun the clause modifies
        return tok.head
    if tok.tag_ == "VBG":
        return _participle_subject(tok)
    return None


def _participle_subject(tok):
    """A participle cue without subject ("put out a statement saying ...", "emailed supporters
    saying: ...") speaks for the subject of the clause it hangs from."""
    for _ in range(4):
        if tok.head is tok or tok.dep_ in SUBJ_DEPS:
            return None
        tok = tok.head
        if tok.pos_ in {"VERB", "AUX"}:
            subjects = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}]
            return subjects[0] if subjects else None
    return None


def _speaker_of(text: str, cue, quoted: list[tuple[int, int]]) -> Span | None:
    subj = _subject(cue)
    if subj is None and cue.pos_ == "NOUN":  # a noun cue speaks for its owner: "his refusal to ..."
        subj = next((c for c in cue.children if c.dep_ == "poss"), None)
    if subj is None:
        return None
    return _phrase_span(text, subj, quoted)


def _phrase_span(text: str, head, quoted: list[tuple[int, int]]) -> Span | None:
    """The noun phrase around ``head``, cut before relative clauses and away from quotations."""
    left, right = head.left_edge, head.right_edge
    for c in head.children:
        if c.i > head.i and c.dep_ in {"relcl", "acl", "punct", "advcl", "cc", "conj"} and c.dep_ != "conj":
            right = head.doc[max(head.i, c.left_edge.i - 1)]
            break
    for c in head.children:
        if c.dep_ == "appos" and c.i > head.i:
            right = max(right, c.right_edge, key=lambda t: t.i)
    start, end = left.idx, right.idx + len(right)
    para_start = text.rfind("\n", 0, head.idx) + 1
    para_end = text.find("\n", head.idx)
    start = max(start, para_start)
    end = min(end, len(text) if para_end < 0 else para_end)
    for qs, qe in quoted:
        if qs <= head.idx < qe:
            return None
        if start < qe and qs < end:  # the subtree runs into a quotation: keep the head side
            if qs > head.idx:
                end = min(end, qs - 1)
            else:
                start = max(start, qe + 1)
    span = Span.of(text, start, end)
    span = _strip_punct(text, span)
    return span if span.text else None


def _strip_content(text: str, span: Span) -> Span:
    """Reported content without surrounding punctuation (a final period is not part of it)."""
    span = _strip_punct(text, span)
    end = span.end
    while end > span.start and text[end - 1] in ".,;:" and not re.search(r"\b[A-Z]\.$|\b[A-Z][a-z]{0,2}\.$", text[span.start : end]):
        end -= 1
    return Span.of(text, span.start, end)


def _strip_punct(text: str, span: Span) -> Span:
    start, end = span.start, span.end
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in ".)%$€£"):
        end -= 1
    return Span.of(text, start, end)


_SPEAKER_LABELS = {"PERSON", "ORG", "NORP", "GPE"}  # entity types that can be a speaker named by a colon


def _colon_speaker(text: str, doc, tok_at, qs: int, quoted: list[tuple[int, int]]) -> Span | None:
    """``X: "..."``, ``X wrote on Twitter: "..."`` or a paragraph ending ``X released the following
    statement:`` before a quoted paragraph -> the speaker of the sentence before the colon: the
    subject of its reporting verb, else its last subject, else its last name."""
    lead = text[:qs].rstrip(" \t\n\u00a0\u201c\"'\u2018`")
    if not lead.endswith(":"):
        return None
    colon = len(lead) - 1
    sent = sentence_of(doc[tok_at(colon)])
    named = [e for e in sent.ents if 0 <= colon - e.end_char <= 1 and e.label_ in _SPEAKER_LABELS]
    if named:  # "Pollsters agree - Carl Bialik: ..." -> the name right before the colon
        return Span.of(text, named[-1].start_char, named[-1].end_char)
    before = [t for t in sent if t.idx < colon]
    cues = [t for t in before if _is_cue(t)]
    if cues:
        found = _speaker_of(text, cues[-1], quoted)
        if found is not None:
            return found
    heads = [t for t in before if t.dep_ in SUBJ_DEPS]
    if heads:
        return _phrase_span(text, heads[-1], quoted)
    names = [e for e in sent.ents if e.end_char <= colon and e.label_ in _SPEAKER_LABELS]
    return Span.of(text, names[-1].start_char, names[-1].end_char) if names else None


_DASH_SPEAKER = re.compile(
    r"[\"'\u201d\u2019]*[,.]?[ \t\u00a0]*(?:[\u2015\u2014\u2013]{1,2}|-{1,2}(?=[ \t\u00a0]))[ \t\u00a0]*"
    r"(?P<name>[A-Z@][^\n\"\u201c\u201d]{0,80}?)[ \t\u00a0.]*(?=\n|$)"
)
_CLOSING_MARKS = "\"'\u201d\u2019\u00bb\u300d\u300f,.?! \u00a0"
_LEADING_MARKS = re.compile(r"[\"'\u201d\u2019,\s]*")
_DETERMINERS = {"the", "a", "an", "his", "her", "their", "its", "one", "another"}


def _dash_speaker(text: str, qe: int) -> Span | None:
    """``"..." ― Jorge Falcon``: a name after a dash closing the quotation's line."""
    m = _DASH_SPEAKER.match(text, qe)
    if m is None or len(m.group("name").split()) > 8:
        return None
    span = _strip_punct(text, Span.of(text, m.start("name"), m.end("name")))
    return span if span.text else None


def _speaker_before_cue(text: str, qe: int, cue_start: int) -> Span | None:
    """``"...," Tulsa police Chief Chuck Jordan said``: the words between a quotation and the cue
    that follows it, used when the parse gave the cue no subject."""
    if "\n" in text[qe:cue_start]:
        return None
    start = _LEADING_MARKS.match(text, qe).end()
    stretch = text[start:cue_start].rstrip()
    words = stretch.split()
    # a name with a long apposition ("Trump, the 2016 GOP presidential frontrunner, ...") may be longer
    limit = 30 if "," in " ".join(words[:6]) else 12
    if not 1 <= len(words) <= limit or any(c in stretch for c in "\"\u201c\u201d"):
        return None
    if not (stretch[0].isupper() or words[0].lower() in _DETERMINERS):
        return None
    span = _strip_punct(text, Span.of(text, start, start + len(stretch)))
    return span if span.text else None


def _name_near_cue(text: str, cue, quoted: list[tuple[int, int]]) -> Span | None:
    """A cue the parse left without a subject ("Col. Steven H. Warren, a military spokesman in
    Baghdad, said", "said Robin Maynard"): the nearest person named just before it in its sentence,
    or right after it; an organisation when no person is named."""
    sent = sentence_of(cue)
    best = None
    for label in ("PERSON", "ORG"):
        for e in sent.ents:
            if e.label_ != label or any(qs <= e.start_char < qe for qs, qe in quoted):
                continue
            if e.end <= cue.i and cue.i - e.end <= 12:
                dist = cue.i - e.end
            elif e.start > cue.i and e.start - cue.i <= 2:
                dist = e.start - cue.i - 1
            else:
                continue
            if best is None or dist < best[0]:
                best = (dist, e)
        if best is not None:
            return Span.of(text, best[1].start_char, best[1].end_char)
    return None


def _continues(text: str, prev_end: int, qs: int) -> bool:
    """Whether a quotation opening at ``qs`` continues the one that ended at ``prev_end``: in the
    same paragraph, or opening the next paragraph."""
    between = text[prev_end:qs]
    if between.count("\n") == 0:
        return len(between) < 200
    line_start = text.rfind("\n", 0, qs) + 1
    return not text[line_start : qs - 1].strip() and len(between.strip("\n \u201d\"")) < 200


_MINOR = {"of", "the", "a", "an", "and", "for", "in", "on", "to", "at", "by", "with", "de", "la"}


def _is_title_or_name(text: str, qs: int, qe: int) -> bool:
    inner = text[qs:qe]
    words = inner.split()
    if not words or len(words) > 6 or inner.rstrip()[-1:] in "!?" or not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() or w.lower() in _MINOR or not w[:1].isalpha() for w in words)


def _indirect(text: str, doc, quoted: list[tuple[int, int]], inside: list[bool]) -> list[Quote]:
    out: list[Quote] = []
    for tok in doc:
        if inside[tok.i]:
            continue
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            q = _according_to(text, tok, quoted)
        elif _is_cue(tok):
            q = _reported_clause(text, tok, quoted)
        elif tok.pos_ == "VERB" and tok.lemma_.lower() in OBJECT_CUE_VERBS | XCOMP_CUE_VERBS:
            q = None
        else:
            continue
        if q is None and tok.pos_ == "VERB":
            q = _object_or_infinitive(text, tok, quoted)
        if q is not None:
            out.append(q)
    return out


def rule_cues(doc, quotes: list[Quote], quoted: list[tuple[int, int]]) -> set[int]:
    """Token indices learned frames leave alone: the cue words of the rules' ``quotes`` and the
    words inside quotation marks (``quoted``)."""
    starts = _token_starts(doc)
    return _taken(quotes, _token_index(starts), _inside_mask(starts, quoted))


def _taken(quotes: list[Quote], tok_at, inside: list[bool]) -> set[int]:
    return {tok_at(q.cue.start) for q in quotes if q.cue is not None} | {i for i, x in enumerate(inside) if x}


def frame_content(text: str, frame, name: str, quoted: list[tuple[int, int]]) -> Span | None:
    """The content of a learned frame read the ``name`` way, None when empty or mostly inside
    quotation marks (then it is a direct quotation's frame, listed already)."""
    content = _strip_content(text, Span.of(text, *frames.extent(frame, name, _to_sentence_edge)))
    inside = sum(max(0, min(qe, content.end) - max(qs, content.start)) for qs, qe in quoted)
    return content if content.text and 2 * inside < len(content.text) else None


def _framed(text: str, doc, quoted: list[tuple[int, int]], skip: set[int]) -> list[Quote]:
    """Attributions of learned frames ("backed the bill", "called for a ban") on words the rules
    did not take as cues; one per cue word."""
    table = frames.learned()
    out: list[Quote] = []
    done: set[int] = set()
    for frame in frames.frames(doc, skip):
        name = table.get(frame.key)
        if name is None or frame.cue.i in done:
            continue
        content = frame_content(text, frame, name, quoted)
        if content is not None:
            done.add(frame.cue.i)
            out.append(Quote(content, "indirect", _speaker_of(text, frame.cue, quoted), _cue_span(text, frame.cue)))
    return out


_CLAUSE_BREAKS = {"but", "however", "while", "although", "though", "whereas", "yet", ";", "\u2014", "\u2013", "--"}


def _to_sentence_edge(cue, start: int, end: int) -> tuple[int, int]:
    """Reported material usually runs to the sentence's edge away from the cue: a parse that cut it
    short ("that X is 'peanuts,' compared to Y") is extended, unless another cue intervenes."""
    sent = sentence_of(cue)
    if start > cue.idx:
        tail = [t for t in sent if t.idx >= end]
        if not any(_is_cue(t) or t.lower_ == "according" for t in tail):
            # ... up to a clause of the speaker's own ("..., but did not say", ", however ...")
            stop = next((t for t in tail if t.lower_ in _CLAUSE_BREAKS or (t.head is cue and t.dep_ in {"conj", "cc"})), None)
            end = max(end, stop.idx if stop is not None else sent.end_char)
    elif end <= cue.idx:
        head = [t for t in sent if t.idx < start]
        if not any(_is_cue(t) or t.lower_ == "according" for t in head):
            start = min(start, sent.start_char)
    return start, end


def _object_or_infinitive(text: str, cue, quoted: list[tuple[int, int]]) -> Quote | None:
    """Content that is the object of a communication verb ("praised X", "urged X to Y") or the
    infinitive of a volition verb ("wants to Y")."""
    lemma = cue.lemma_.lower()
    obj = next((c for c in cue.children if c.dep_ in {"dobj"}), None) if lemma in OBJECT_CUE_VERBS else None
    xcomp = next((c for c in cue.children if c.dep_ == "xcomp" and c.i > cue.i), None)
    if lemma not in XCOMP_CUE_VERBS and lemma not in {"urge", "ask", "call", "tell", "warn"}:
        xcomp = None
    parts = [p for p in (obj, xcomp) if p is not None]
    if not parts or _subject(cue) is None:
        return None
    start = min(p.left_edge.idx for p in parts)
    end = max(p.right_edge.idx + len(p.right_edge) for p in parts)
    start, end = _to_sentence_edge(cue, start, end)
    content = _strip_content(text, Span.of(text, start, end))
    if not content.text:
        return None
    return Quote(content, "indirect", _speaker_of(text, cue, quoted), _cue_span(text, cue))


def _reported_clause(text: str, cue, quoted: list[tuple[int, int]]) -> Quote | None:
    comp = next((c for c in cue.children if c.dep_ in {"ccomp"}), None)
    if comp is None:
        return None
    start, end = comp.left_edge.idx, comp.right_edge.idx + len(comp.right_edge)
    # The clause may hold the speaker when the parse attached "X said" inside it: cut at the cue.
    if start < cue.idx < end:
        end = cue.idx
    start, end = _to_sentence_edge(cue, start, end)
    content = _strip_content(text, Span.of(text, start, end))
    if len(content.text.split()) < 3:
        return None
    if _only_quoted(content, quoted):
        return None
    speaker = _speaker_of(text, cue, quoted)
    return Quote(content, "indirect", speaker, _cue_span(text, cue))


def _only_quoted(content: Span, quoted: list[tuple[int, int]]) -> bool:
    """Reported material that is wholly a direct quotation (or the pieces of one split by its cue,
    '"A," he said, "B"'): listed as direct already."""
    pieces = [(qs, qe) for qs, qe in quoted if qs < content.end and content.start < qe]
    return bool(pieces) and pieces[0][0] - 2 <= content.start and content.end <= pieces[-1][1] + 2


def _according_to(text: str, tok, quoted: list[tuple[int, int]]) -> Quote | None:
    to = tok.doc[tok.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    head = tok.head if tok.head is not tok else None
    if pobj is None or head is None:
        return None
    source = _phrase_span(text, pobj, quoted)
    sent = sentence_of(tok)
    phrase_end = max(pobj.right_edge.idx + len(pobj.right_edge), to.idx + 2)
    # The content is the rest of the sentence, on whichever side of the "according to" phrase.
    if tok.idx - sent.start_char < 3:
        start, end = phrase_end, sent.end_char
    else:
        start, end = sent.start_char, tok.idx
    content = _strip_content(text, Span.of(text, start, end))
    if len(content.text.split()) < 3:
        return None
    return Quote(content, "indirect", source, _cue_span(text, tok))


# ---------------------------------------------------------------- other languages (patterns)

_ZH_CUE = "|".join(sorted(ZH_SPEECH, key=len, reverse=True))
_ZH_BEFORE = re.compile(rf"(?P<speaker>[\u4e00-\u9fff·A-Za-z]{{2,16}}?)(?:在[^，。：“]{{0,20}}?)?(?:对[^，。：“]{{0,12}})?(?P<cue>{_ZH_CUE})[：:，,]?\s*$")
_ZH_AFTER = re.compile(rf"^[，,]?\s*(?P<speaker>[\u4e00-\u9fff·A-Za-z]{{2,16}}?)(?P<cue>{_ZH_CUE})")
_ZH_INDIRECT = re.compile(
    rf"(?P<speaker>[\u4e00-\u9fff·A-Za-z]{{2,16}}?)(?P<cue>{_ZH_CUE})[，,：:](?P<content>[^。！？\n“”]{{6,}}[。！？]?)"
)
_ZH_ACCORDING = re.compile(r"据(?P<speaker>[^，,。]{2,30}?)(?P<cue>报道|称|介绍|透露|消息|说)[，,](?P<content>[^。！？\n]{6,})")
_GENERIC_CUE = re.compile(
    r"(?P<cue>\b(?:said|says|told|stated|added|declared|explained|wrote|a dit|a déclaré|selon|affirme|"
    r"ha detto|ha dichiarato|secondo|dijo|afirmó|según|sagte|erklärte|laut|заявил|сказал)\b)",
    re.I,
)


def pattern_quotes(text: str, language: str | None, *, indirect: bool = True, min_chars: int = 3) -> list[Quote]:
    """Quotations of a non-English article, from quotation marks and cue patterns."""
    quotes: list[Quote] = []
    quoted = find_quoted(text, min_chars)
    zh = language == "zh"
    for qs, qe in quoted:
        line_start = text.rfind("\n", 0, qs) + 1
        before = text[max(line_start, qs - 40) : qs - 1]
        after = text[qe + 1 : qe + 40]
        speaker = cue = None
        if zh:
            if m := _ZH_BEFORE.search(before):
                off = qs - 1 - len(before)
                speaker = Span.of(text, off + m.start("speaker"), off + m.end("speaker"))
                cue = Span.of(text, off + m.start("cue"), off + m.end("cue"))
            elif m := _ZH_AFTER.match(after):
                off = qe + 1
                speaker = Span.of(text, off + m.start("speaker"), off + m.end("speaker"))
                cue = Span.of(text, off + m.start("cue"), off + m.end("cue"))
        else:
            for seg, off in ((after, qe + 1), (before, qs - 1 - len(before))):
                if m := _GENERIC_CUE.search(seg):
                    cue = Span.of(text, off + m.start(), off + m.end())
                    break
        size = len(text[qs:qe]) if zh else len(text[qs:qe].split())
        if cue is None and size < (6 if zh else _MIN_WORDS_FREE_QUOTE):
            continue
        quotes.append(Quote(Span.of(text, qs, qe), "direct", speaker, cue))
    if indirect and zh:
        for rx in (_ZH_INDIRECT, _ZH_ACCORDING):
            for m in rx.finditer(text):
                c = Span.of(text, m.start("content"), m.end("content"))
                if any(qs <= c.start < qe for qs, qe in quoted):
                    continue
                quotes.append(
                    Quote(
                        c,
                        "indirect",
                        Span.of(text, m.start("speaker"), m.end("speaker")),
                        Span.of(text, m.start("cue"), m.end("cue")),
                    )
                )
    quotes.sort(key=lambda q: q.content.start)
    return quotes


def outside_boilerplate(text: str, found: list[Quote], boilerplate: list[Span]) -> list[Quote]:
    """Quotations with boilerplate (datelines, captions, teasers) cut away from their content;
    a quotation wholly inside boilerplate is dropped."""
    out = []
    for q in found:
        c = q.content
        for b in boilerplate:
            if b.start <= c.start < b.end:
                c = Span.of(text, b.end, max(b.end, c.end))
        if not c.text or any(b.contains(c) for b in boilerplate):
            continue
        out.append(Quote(_strip_punct(text, c), q.kind, q.speaker, q.cue) if c is not q.content else q)
    return out
