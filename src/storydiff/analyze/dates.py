"""Dates and times: candidate spans (spaCy DATE/TIME entities, explicit date patterns, Chinese
date forms), normalised to TimeML-style ISO values against the publication date: ``2025-11-20``,
``2025-11``, ``2025``, ``2025-W47``, ``2025-Q1``, ``P3Y`` (durations), ``PRESENT_REF``."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime

from ..model import DateMention, Span
from .nlp import sentence_of

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ]
    )
    for m in names
}
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
NUM_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "fifty": 50,
    "hundred": 100, "several": None, "few": None, "many": None, "some": None, "couple": 2,
}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
UNITS = {"year": "Y", "month": "M", "week": "W", "day": "D", "decade": "DE", "century": "CE", "hour": "H", "minute": "M", "quarter": "Q"}
_MON = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_EXPLICIT = re.compile(
    rf"\b(?:{_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}(?:,?\s+\d{{4}})?|"
    rf"{_MON}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\b",
    re.I,
)
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")  # an ISO 8601 date (or date-time) opens with its day
_RFC2822 = re.compile(r"(?:[A-Z][a-z]{2}, )?\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}")
_ZH_DATE = re.compile(
    r"(?:(?P<y>\d{4})年)?(?:(?P<m>\d{1,2})月)(?:(?P<d>\d{1,2})[日号])?(?P<part>凌晨|早上|上午|中午|下午|傍晚|晚上|晚间|夜间)?"
    r"|(?P<rel>前天|昨天|昨日|今天|今日|明天|明日|上周|本周|下周|上个月|上月|本月|下个月|去年|今年|明年|前年)"
    r"|(?P<y2>\d{4})年"
)
_PART_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}
_ZH_PART = {"凌晨": "NI", "早上": "MO", "上午": "MO", "中午": "MI", "下午": "AF", "傍晚": "EV", "晚上": "EV", "晚间": "EV", "夜间": "NI"}


def parse_anchor(published: str | None) -> date | None:
    """The publication date as a ``date``, or None: ISO 8601 ("2024-11-20T10:00Z"), a feed's RFC 2822
    ("Wed, 20 Nov 2024 10:00:00 GMT"), a Chinese date ("2024年11月20日") or a written date
    ("November 20, 2024", "Nov. 20, 2024 7:40 PM ET")."""
    if not published:
        return None
    published = published.strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", published) or re.match(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]", published)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    when = _rfc2822(published)
    if when is not None:
        return when.date()
    v = normalize_date(published, None)
    if v and ISO_DAY.fullmatch(v):
        return date.fromisoformat(v)
    return None


def normalise_published(published: str | None) -> str | None:
    """A publication date in ISO 8601: ISO kept as given, a feed's RFC 2822 date with its time and
    zone ("Wed, 20 Nov 2024 10:00:00 GMT" -> "2024-11-20T10:00:00+00:00"), other dates that
    :func:`parse_anchor` reads as their day; anything else as given."""
    value = (published or "").strip()
    if not value or ISO_DAY.match(value):
        return published
    when = _rfc2822(value)
    if when is not None:
        return when.isoformat()
    day = parse_anchor(value)
    return day.isoformat() if day else published


def _rfc2822(value: str) -> datetime | None:
    """A feed's date ("Wed, 20 Nov 2024 10:00:00 GMT") with its zone, or None."""
    if not _RFC2822.match(value):
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None


def find_dates(text: str, doc=None, anchor: date | None = None, language: str | None = None) -> list[DateMention]:
    """Date mentions of ``text``; ``doc`` is the spaCy parse for English (optional)."""
    spans: list[tuple[int, int]] = []
    if language == "zh":
        for m in _ZH_DATE.finditer(text):
            spans.append(m.span())
    else:
        if doc is not None:
            spans.extend((e.start_char, e.end_char) for e in doc.ents if e.label_ in {"DATE", "TIME"})
        for m in _EXPLICIT.finditer(text):
            if not any(s <= m.start() < e or m.start() <= s < m.end() for s, e in spans):
                spans.append(m.span())
    out = []
    for s, e in _merge_adjacent(sorted(set(spans)), text):
        span = Span.of(text, s, e)
        if not span.text:
            continue
        if language == "zh":
            value = normalize_zh(span.text, anchor)
        else:
            value = normalize_date(span.text, anchor, _tense(doc, s, e) if doc is not None else None)
            if anchor is not None and _YEAR_EARLIER.search(span.text):
                value = _year_earlier(text, doc, s, anchor, out) or value or str(anchor.year - 1)
            if value is None and (m := _THAT_UNIT.search(span.text)):
                value = _that_unit(m[1].lower(), out)
        out.append(DateMention(span, value, _grain(value)))
    return out


def _merge_adjacent(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """"Friday" and "morning" tagged apart but written as one expression become one mention."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and (s <= out[-1][1] or (not text[out[-1][1] : s].strip(" ") and "\n" not in text[out[-1][1] : s])):
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


def _year_earlier(text: str, doc, start: int, anchor: date, before: list[DateMention]) -> str | None:
    """In a quarterly report, "a year earlier" / "the year-ago quarter" is the same quarter of the
    year before: the quarter named earlier in the sentence (else the last quarter completed before
    publication), or the quarter named in the last ~250 words when the sentence names none. None
    when no quarter is in sight."""
    sentence = _sentence_bounds(text, doc, start)
    quarters = [d for d in before if d.value and re.fullmatch(r"\d{4}-Q[1-4]", d.value) and not _YEAR_EARLIER.search(d.span.text)]
    if "quarter" in text[sentence[0] : sentence[1]].lower():
        named = [d.value for d in quarters if sentence[0] <= d.span.start]
    elif quarters and start - quarters[-1].span.start < 1500:
        # a report about a quarter named just before: its year-ago figures are that quarter's
        named = [quarters[-1].value]
    else:
        return None
    year, q = named[-1].split("-Q") if named else _previous_quarter(anchor)
    return f"{int(year) - 1}-Q{q}"


def _that_unit(unit: str, before: list[DateMention]) -> str | None:
    """"that year", "later that day": the year (day, month) of the last date the text named, or
    None when no earlier date is precise enough."""
    size = {"year": 4, "month": 7, "day": 10}[unit]
    for d in reversed(before):
        if d.value and re.match(r"\d{4}", d.value) and len(d.value) >= size and (size != 7 or re.match(r"\d{4}-\d\d", d.value)):
            return d.value[:size]
    return None


_THAT_UNIT = re.compile(r"\b(?:that|the same) (year|month|day)\b", re.I)
_YEAR_EARLIER = re.compile(r"\b(?:a|one) year (?:ago|earlier|before)\b|\byear[- ](?:earlier|ago)\b", re.I)
_FUTURE_AUX = {"will", "'ll", "shall", "wo", "’ll", "would", "'d"}
_PLAN_VERBS = {"schedule", "plan", "postpone", "delay", "slate", "reschedule", "adjourn"}
_AHEAD_PREP = re.compile(r"(?:\buntil|\btill|\bas (?:soon|early) as|\bno later than)\s*$|^(?:until|till|as (?:soon|early) as|no later than)\b")


def _previous_quarter(anchor: date) -> tuple[str, str]:
    """The last quarter completed before ``anchor`` (the one a report published then covers)."""
    q = (anchor.month - 1) // 3  # 0-based current quarter = number of completed quarters this year
    return (str(anchor.year), str(q)) if q else (str(anchor.year - 1), "4")


def _sentence_bounds(text: str, doc, start: int) -> tuple[int, int]:
    if doc is not None and len(doc) and doc.has_annotation("SENT_START"):
        sent = sentence_of(doc[_token_at(doc, start)])
        return sent.start_char, sent.end_char
    lo = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    hi = text.find(". ", start)
    return lo, len(text) if hi < 0 else hi


def _token_at(doc, char: int) -> int:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.start if span is not None and len(span) else 0


def _tense(doc, start: int, end: int) -> str | None:
    """"past" or "future" from the verb governing a date expression: "will meet on Tuesday",
    "met on Tuesday"; None when the clause does not say (present tense, no verb)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    before = doc[max(0, span.start - 3) : span.start].text.lower()
    if _AHEAD_PREP.search(before) or _AHEAD_PREP.match(span.text.lower()):
        return "future"  # "until Tuesday", "as early as Friday": a deadline or a plan
    tok = span.root
    for _ in range(4):
        if tok.pos_ in {"VERB", "AUX"}:
            break
        if tok.head is tok:
            return None
        tok = tok.head
    else:
        return None
    auxes = [c for c in tok.children if c.dep_ in {"aux", "auxpass"}]
    if any(a.lower_ in _FUTURE_AUX for a in auxes) or (tok.lower_ in _FUTURE_AUX) or tok.lemma_ in _PLAN_VERBS:
        return "future"  # "will meet", "would travel", "scheduled a meeting for"
    if any(a.lower_ == "to" for a in auxes) and tok.head is not tok and tok.head.lemma_ in {"plan", "expect", "schedule", "set", "due", "go", "intend"}:
        return "future"
    if tok.tag_ == "VBG" and any(a.lower_ in {"is", "are", "am", "'s", "'re"} for a in auxes):
        return "future"  # "is meeting on Tuesday"
    if tok.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes) or any(a.lemma_ == "have" for a in auxes):
        return "past"
    return None


def _grain(value: str | None) -> str:
    if value is None:
        return "unknown"
    if value.startswith("P"):
        return "duration"
    if value.endswith("_REF"):
        return "reference"
    if "T" in value:
        return "time"
    if "-W" in value:
        return "week"
    if "-Q" in value:
        return "quarter"
    return {10: "day", 7: "month", 4: "year", 3: "decade"}.get(len(value), "unknown")


def _iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _shift_month(d: date, n: int) -> tuple[int, int]:
    m = d.month - 1 + n
    return d.year + m // 12, m % 12 + 1


_UNITS_WORDS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS_WORDS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_BELOW_100 = {w: i for i, w in enumerate(_UNITS_WORDS)} | _TENS_WORDS | {
    f"{t}-{u}": v + i for t, v in _TENS_WORDS.items() for i, u in enumerate(_UNITS_WORDS[1:10], 1)
}
_BELOW_100_RX = "|".join(sorted(_BELOW_100, key=len, reverse=True))
_TEN_TO_99_RX = "|".join(sorted((w for w, v in _BELOW_100.items() if v >= 10), key=len, reverse=True))
# "nineteen ninety-six", "two thousand and five"; not "twenty one (days)"
_SPELLED_YEAR = re.compile(rf"\b(?:(nineteen|eighteen|twenty) (?:hundred(?: and)? )?({_TEN_TO_99_RX})|two thousand(?: and)?(?: ({_BELOW_100_RX}))?)\b")
_DECADE_WORDS = {f"{w[:-1]}ies": v for w, v in _TENS_WORDS.items()}  # "nineties" -> 90
_DECADE_WORD = re.compile(r"\b(" + "|".join(_DECADE_WORDS) + r")\b")


def _spelled_years(t: str) -> str:
    """"nineteen ninety-six" -> "1996", "two thousand" -> "2000", "the nineties" -> "the 1990s"."""
    def year(m: re.Match) -> str:
        if m[1]:
            return str({"eighteen": 18, "nineteen": 19, "twenty": 20}[m[1]] * 100 + _BELOW_100[m[2]])
        return str(2000 + (_BELOW_100[m[3]] if m[3] else 0))

    t = _SPELLED_YEAR.sub(year, t)
    t = re.sub(r"^(?:the )?year (\d{4})$", r"\1", t)
    return _DECADE_WORD.sub(lambda m: f"19{_DECADE_WORDS[m[1]]}s", t)


def _num(tok: str) -> int | None:
    tok = tok.lower().replace(",", "")
    if tok.isdigit():
        return int(tok)
    if tok in _BELOW_100:
        return _BELOW_100[tok]
    tens, _, unit = tok.partition(" ")  # "twenty one"
    if tens in _TENS_WORDS and unit in _BELOW_100 and _BELOW_100[unit] < 10:
        return _TENS_WORDS[tens] + _BELOW_100[unit]
    return NUM_WORDS.get(tok)


def normalize_date(expr: str, anchor: date | None, tense: str | None = None) -> str | None:
    """TimeML-style value of an English date/time expression, resolved against ``anchor``.
    ``tense`` ("past" or "future", from the clause the expression sits in) decides which way a
    bare weekday, month or month-day points when the text does not say. A mention the tagger
    drew too wide ("an Aug. 10, 1988", "the third quarter ended Sept. 30") is read without its
    leading word(s) or its trailing clause when the whole does not resolve."""
    value = _normalize(expr, anchor, tense)
    if value is not None:
        return value
    words = expr.split()
    cut = re.split(r"\s+(?:ended|ending|through|to|and|or)\s+", expr, maxsplit=1)[0]
    # leading words may go, unless one is a number ("twenty one days ago" is not "one day ago")
    candidates = [" ".join(words[k:]) for k in (1, 2) if len(words) > k and (_num(words[k - 1]) is None or words[k - 1].lower() in {"a", "an"})]
    candidates += [cut] if cut != expr else []
    for cand in candidates:
        value = _normalize(cand, anchor, tense)
        if value is not None and not value.startswith("P"):
            return value
    return None


def _normalize(expr: str, anchor: date | None, tense: str | None = None) -> str | None:
    t = " ".join(expr.lower().replace("’", "'").split())
    t = _spelled_years(t)
    t = re.sub(r"^(?:as (?:early|late|recently|soon) as|at least|at the (?:latest|earliest))\s+", "", t)
    t = re.sub(r"\s+or so\b", "", t)  # "a week or so ago"
    t = re.sub(r"^(?:the\s+)?(?:earlier|later) in the (year|month|week|day)$", r"this \1", t)  # "earlier in the year"
    t = re.sub(r"^(?:the\s+)?current\s+(?:fiscal\s+|calendar\s+)?(year|month|week|quarter)$", r"this \1", t)
    t = re.sub(r"^(?:the|this past|on|in|by|since|until|from|during|of|early|late|mid-?|around|about|nearly|almost|just|"
               r"some|sometime|earlier|later|its)\s+", "", t)
    t = re.sub(r"^(?:the|early|late|mid-?)\s+|^(?:mid|early|late)-(?=\w)", "", t)
    t = re.sub(r"^(?:end|middle|beginning|start) of\s+(?:the\s+)?(?=(?:year|month|week|quarter)$)", "this ", t)  # "the end of the month"
    t = re.sub(r"^(?:end|middle|beginning|start) of\s+(?:the\s+)?", "", t)
    t = re.sub(r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),\s+(?=\S)", "", t)  # "Friday, Oct. 23"
    t = re.sub(r"'s$", "", t.strip(" .,:;"))  # "last year's", "next week's"
    t = re.sub(r"\b(first|second|third|fourth|1st|2nd|3rd|4th|last|fiscal|calendar)-(?=\w)", r"\1 ", t)  # "fourth-quarter"
    t = re.sub(r"\b(?:fiscal|calendar) (?=(?:first|second|third|fourth|1st|2nd|3rd|4th|last) quarter|\d{4})", "", t)  # "fiscal 1988"
    t = re.sub(r"^(\d{4}) ((?:first|second|third|fourth|1st|2nd|3rd|4th) quarter)$", r"\2 of \1", t)  # "the 1988 third quarter"
    t = t.strip(" .,:;")
    if not t or re.fullmatch(r"that (?:day|week|month|year|morning|night|evening|afternoon)", t):
        return None  # relative to an event the text told of, not to the publication date
    if t in {"now", "currently", "current", "present", "today's", "nowadays", "these days", "at present", "the moment", "the present"}:
        return "PRESENT_REF"
    if t in {"recently", "lately", "previously", "the past", "past", "once", "earlier", "former"}:
        return "PAST_REF"
    if t in {"future", "the future", "soon", "later", "eventually", "a later date"} or re.fullmatch(
        r"(?:coming|upcoming|next few|few) (?:days|weeks|months|quarters|years|decades)|(?:days|weeks|months|years) (?:ahead|to come)", t
    ):
        return "FUTURE_REF"
    if re.fullmatch(r"recent (?:days|weeks|months|years|decades)", t):
        return "PAST_REF"
    if m := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th) century", t):  # TimeML writes a century as its two leading digits
        return f"{int(m[1]) - 1:02d}"
    if m := re.fullmatch(r"(first|second|last|latter|1st|2nd) half(?: of (\d{4}|(?:this|the) year))?|first (?:two|2) quarters(?: of (\d{4}))?", t):
        year = (m[2] if m[2] and m[2][0].isdigit() else None) or m[3] or (str(anchor.year) if anchor else "XXXX")
        return f"{year}-H{1 if (m[1] or 'first') in {'first', '1st'} else 2}"
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t):
        return t
    if m := re.fullmatch(r"(\d{4})s", t):
        return m[1][:3]
    if m := re.fullmatch(r"'?(\d0)s", t):
        return ("19" + m[1])[:3]
    if m := re.fullmatch(r"(?:the year )?(\d{4})", t):
        return m[1]
    if m := re.fullmatch(rf"({_MON})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?(?:\s+.*)?", t):
        return _ymd(m[3], MONTHS[m[1].rstrip(".")], int(m[2]), anchor, tense)
    if m := re.fullmatch(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MON})(?:,?\s+(\d{{4}}))?", t):
        return _ymd(m[3], MONTHS[m[2].rstrip(".")], int(m[1]), anchor, tense)
    if m := re.fullmatch(rf"({_MON})(?:,?\s+(?:of\s+)?(\d{{4}})|(?:\s+of)?\s+(this|last|next)\s+year)?", t):  # "July last year"
        mon = MONTHS[m[1].rstrip(".")]
        if m[2]:
            return f"{m[2]}-{mon:02d}"
        if anchor is None:
            return f"XXXX-{mon:02d}"
        year = anchor.year + {None: 0, "this": 0, "last": -1, "next": 1}[m[3]]
        ahead = mon - anchor.month
        back, forward = {"past": (0, 12), "future": (12, 0)}.get(tense or "", (6, 6))
        if m[3] is None and ahead > back:
            year -= 1  # "in November" said in April: last November
        elif m[3] is None and -ahead > forward:
            year += 1  # "in February" said in October: the coming February
        return f"{year}-{mon:02d}"
    if m := re.fullmatch(r"(\d{4}|this year|last year|next year)'s (.+ quarter)", t):  # "this year's third quarter"
        year = m[1] if m[1][0].isdigit() else (None if anchor is None else str(anchor.year + {"this": 0, "last": -1, "next": 1}[m[1].split()[0]]))
        return normalize_date(f"{m[2]} of {year}", anchor) if year else None
    if m := re.fullmatch(rf"(last|this|next) ({_MON})", t):  # "last April": the most recent April before now
        if anchor is None:
            return None
        mon = MONTHS[m[2].rstrip(".")]
        year = anchor.year
        if m[1] == "last" and mon >= anchor.month:
            year -= 1
        elif m[1] == "next" and mon <= anchor.month:
            year += 1
        return f"{year}-{mon:02d}"
    if m := re.fullmatch(rf"(?:last|this|next) ({_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?)", t):  # "last Oct. 23"
        return normalize_date(m[1], anchor)
    if t in {"year-end", "year end", "year's end"}:
        return str(anchor.year) if anchor else None
    if m := re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s?m\.?(?:\s+[a-z]{2,4}t)?(?:\s+(\w+))?", t):  # "6 a.m. EST"
        if int(m[1]) > 12 or (anchor is None and not m[4]):
            return None
        hour = int(m[1]) % 12 + (12 if m[3] == "p" else 0)
        day = normalize_date(m[4], anchor) if m[4] else anchor.isoformat()
        if not day or len(day) != 10:
            return None
        return f"{day}T{hour:02d}:{int(m[2] or 0):02d}"
    if m := re.fullmatch(r"(?:noon|midday)(?:\s+(\w+))?", t):  # "noon Saturday"
        day = normalize_date(m[1], anchor, tense) if m[1] else (anchor.isoformat() if anchor else None)
        return f"{day}T12:00" if day and len(day) == 10 else None
    if m := re.fullmatch(r"(first|second|third|fourth|1st|2nd|3rd|4th|last) quarter(?: of (\d{4})| of (?:this|the) year)?", t):
        q = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "last": 4}[m[1]]
        year = m[2] or (str(anchor.year) if anchor else "XXXX")
        return f"{year}-Q{q}"
    if anchor is None:
        return _duration(t)
    if t in {"today", "this day", "tonight", "this morning", "this afternoon", "this evening"}:
        part = _PART_OF_DAY.get(t.split()[-1])
        return anchor.isoformat() + (f"T{part}" if part else "")
    if t in _PART_OF_DAY and t != "tonight":  # "in the morning": of the day of publication
        return f"{anchor.isoformat()}T{_PART_OF_DAY[t]}"
    if m := re.fullmatch(r"(\d{1,2})(?: o'clock)? in the (morning|afternoon|evening|night)", t):  # "4 in the morning"
        hour = int(m[1])
        if hour > 12:
            return None
        hour = hour % 12 + (12 if m[2] in {"afternoon", "evening"} or (m[2] == "night" and hour >= 6) else 0)
        return f"{anchor.isoformat()}T{hour:02d}:00"
    if t in {"last night", "overnight"}:
        return (anchor - timedelta(days=1)).isoformat() + "TNI"
    if t == "weekend":  # the most recent weekend (this one if it is under way)
        return _relative_unit(anchor, "weekend", 0 if anchor.weekday() >= 5 else -1)
    if t == "yesterday" or t.startswith("yesterday "):
        part = _PART_OF_DAY.get(t.split()[-1]) if " " in t else None
        return (anchor - timedelta(days=1)).isoformat() + (f"T{part}" if part else "")
    if t in {"tomorrow"}:
        return (anchor + timedelta(days=1)).isoformat()
    if m := re.fullmatch(r"(last|this|next|past|coming)\s+(week|month|year|weekend|quarter)", t):
        step = {"last": -1, "past": -1, "this": 0, "coming": 1, "next": 1}[m[1]]
        if m[1] == "past" and m[2] in {"week", "month", "year"}:
            return f"P1{UNITS[m[2]]}"
        return _relative_unit(anchor, m[2], step)
    if m := re.fullmatch(r"(\w+(?:[ -]\w+)?)\s+(year|month|week|day|decade)s?\s+(ago|earlier|before|later|from now|hence)", t):
        n = _num(m[1])
        if n is None:
            return "PAST_REF" if m[3] in {"ago", "earlier", "before"} else "FUTURE_REF"
        sign = -1 if m[3] in {"ago", "earlier", "before"} else 1
        return _relative_unit(anchor, m[2], sign * n)
    if m := re.fullmatch(r"(?:(last|this|next|on)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:\s+(morning|afternoon|evening|night))?", t):
        return _weekday(anchor, WEEKDAYS[m[2]], m[1], m[3], tense)
    if m := re.fullmatch(r"(?:the\s+)?(morning|afternoon|evening|night)\s+of\s+(.+)", t):
        day = normalize_date(m[2], anchor)
        return f"{day}T{_PART_OF_DAY[m[1]]}" if day and len(day) == 10 else day
    if m := re.fullmatch(r"(spring|summer|fall|autumn|winter) (?:of )?(\d{4})", t):  # "the winter of 1994"
        return f"{m[2]}-{SEASONS[m[1]]}"
    if m := re.fullmatch(r"(?:(last|this|next)\s+)?(spring|summer|fall|autumn|winter)", t):
        season = SEASONS[m[2]]
        year = anchor.year + {None: 0, "last": -1, "this": 0, "next": 1}[m[1]]
        starts = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[season]
        if m[1] is None and tense == "past" and starts > anchor.month:
            year -= 1
        elif m[1] is None and tense == "future" and starts + 2 < anchor.month:
            year += 1
        return f"{year}-{season}"
    return _duration(t)


def _ymd(year: str | None, month: int, day: int, anchor: date | None, tense: str | None = None) -> str | None:
    if year:
        y = int(year)
    elif anchor is not None:
        # A month-day without a year in news is usually within about half a year of publication;
        # the tense of its clause says which side when it is known.
        y = anchor.year
        try:
            cand = date(y, month, day)
        except ValueError:
            return None
        ahead = (cand - anchor).days
        # a past-tense clause can still name a date a few weeks ahead ("set Nov. 16 as the record date")
        back, forward = {"past": (60, 366), "future": (366, 60)}.get(tense or "", (183, 183))
        if ahead > back:
            y -= 1
        elif -ahead > forward:
            y += 1
    else:
        return f"XXXX-{month:02d}-{day:02d}"
    try:
        return date(y, month, day).isoformat()
    except ValueError:
        return None


def _relative_unit(anchor: date, unit: str, n: int) -> str:
    if unit in {"week", "weekend"}:
        d = anchor + timedelta(weeks=n)
        return _iso_week(d) + ("-WE" if unit == "weekend" else "")
    if unit == "month":
        y, m = _shift_month(anchor, n)
        return f"{y}-{m:02d}"
    if unit == "quarter":
        q = (anchor.month - 1) // 3 + n
        return f"{anchor.year + q // 4}-Q{q % 4 + 1}"
    if unit == "day":
        return (anchor + timedelta(days=n)).isoformat()
    if unit == "decade":
        return str((anchor.year + 10 * n) // 10)
    return str(anchor.year + n)


def _weekday(anchor: date, wd: int, which: str | None, part: str | None, tense: str | None = None) -> str:
    delta = wd - anchor.weekday()
    if which == "next":
        delta = delta + 7 if delta <= 0 else delta
    elif which == "last":
        delta = delta - 7 if delta >= 0 else delta
    elif which != "this" and tense == "future":
        delta = delta + 7 if delta < 0 else delta  # "will meet on Tuesday": the coming one
    elif which != "this":
        # Bare weekday in news: the most recent one (or today), unless it's clearly ahead.
        delta = delta - 7 if delta > 0 else delta
    d = anchor + timedelta(days=delta)
    return d.isoformat() + (f"T{_PART_OF_DAY[part]}" if part else "")


def _duration(t: str) -> str | None:
    if re.fullmatch(r"(?:last|next|this|coming)\s+\w+", t):
        return None  # a date relative to an unknown publication date
    m = re.fullmatch(r"(?:the\s+)?(?:past|last|next|coming|first|previous|more than|nearly|almost|about|over|at least)?\s*(?:(\w+(?:-\w+)*)[\s-]+)?(year|month|week|day|decade|century|hour|minute|quarter)s?(?:\s+(?:old|long))?", t)
    if not m:
        return None
    n = _num(m[1]) if m[1] else 1
    unit = UNITS[m[2]]
    if m[2] in {"hour", "minute"}:
        return f"PT{'X' if n is None else n}{unit}"
    if unit == "DE":
        return f"P{'X' if n is None else n * 10}Y"
    if unit == "CE":
        return f"P{'X' if n is None else n * 100}Y"
    return f"P{'X' if n is None else n}{unit}"


def normalize_zh(expr: str, anchor: date | None) -> str | None:
    """Value of a Chinese date expression (``11月20日晚``, ``2025年3月14日``, ``上周``)."""
    m = _ZH_DATE.fullmatch(expr) or _ZH_DATE.match(expr)
    if not m:
        return None
    if m["rel"]:
        if anchor is None:
            return None
        rel = m["rel"]
        table = {"前天": ("day", -2), "昨天": ("day", -1), "昨日": ("day", -1), "今天": ("day", 0), "今日": ("day", 0),
                 "明天": ("day", 1), "明日": ("day", 1), "上周": ("week", -1), "本周": ("week", 0), "下周": ("week", 1),
                 "上个月": ("month", -1), "上月": ("month", -1), "本月": ("month", 0), "下个月": ("month", 1),
                 "去年": ("year", -1), "今年": ("year", 0), "明年": ("year", 1), "前年": ("year", -2)}
        unit, n = table[rel]
        return _relative_unit(anchor, unit, n)
    if m["y2"]:
        return m["y2"]
    month = int(m["m"])
    if m["d"]:
        v = _ymd(m["y"], month, int(m["d"]), anchor)
        if v and m["part"]:
            v += "T" + _ZH_PART[m["part"]]
        return v
    year = m["y"] or (str(anchor.year) if anchor else "XXXX")
    return f"{year}-{month:02d}"
