"""Metadata carried inside plain article text: a headline line, an outlet-and-date dateline
("Reference News Network, November 29 report", "WASHINGTON (Reuters) -", "新华社北京11月29日电"),
a translator credit, an "Original: URL" line. Each is returned with its span."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Boilerplate, Span

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE_EN = rf"{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTHS}(?:\s+\d{{4}})?"

# "Reference News Network, November 29 report." / "Xinhua, Nov. 3 (dispatch):"
_DATELINE_OUTLET_DATE = re.compile(
    rf"^(?P<outlet>[A-Z][\w&'.-]*(?:\s+[A-Z&][\w&'.-]*){{0,5}}),?\s+(?P<date>{_DATE_EN})\s*"
    r"(?:\(?(?:report|reports|dispatch|news|电)\)?)?\s*[.:：—–-]+\s*"
)
# "WASHINGTON (Reuters) -" / "LONDON, Nov 3 (AP) —"
_DATELINE_PLACE_AGENCY = re.compile(
    rf"^(?P<place>[A-Z][A-Z .'-]{{2,40}}?)(?:,\s*(?P<date>{_DATE_EN}))?\s*\((?P<outlet>[A-Za-z][\w .&'-]{{1,40}})\)\s*[-—–:]+\s*"
)
# "新华社北京11月29日电" / "参考消息网11月29日报道"
_DATELINE_ZH = re.compile(
    r"^(?P<outlet>[\u4e00-\u9fff]{2,12}?(?:社|网|报|台|电视台|新闻))(?P<place>[\u4e00-\u9fff]{0,6}?)"
    r"(?P<date>\d{1,2}月\d{1,2}日)(?:电|报道|讯)\s*[（(]?[^）)\n]{0,20}[）)]?\s*"
)
_TRANSLATOR = re.compile(r"[(（]\s*(?:translated by|traduit (?:de l'\w+ )?par|traduction\s*:|traducido por|übersetzt von|tradotto da|编译|翻译|译者)\s*[:：]?\s*(?P<name>[^)）]{1,80}?)\s*[)）]", re.I)
_ORIGINAL = re.compile(r"^\s*(?:original|source|原文|原文链接)\s*[:：]\s*(?P<url>https?://\S+)\s*$", re.I | re.M)
_NOT_OUTLET = {
    "on", "in", "by", "since", "until", "from", "as", "at", "before", "after", "until", "last", "this", "since",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "updated", "published",
}
_HEADLINE_END = re.compile(r"[.!?。！？;；,，]\s*$")


@dataclass(slots=True)
class TextMeta:
    title: str | None = None
    outlet: str | None = None
    dateline_date: str | None = None
    translator: str | None = None
    original_url: str | None = None
    boilerplate: list[Boilerplate] = field(default_factory=list)


def read_text_meta(text: str, has_title: bool = False) -> TextMeta:
    """Metadata found in plain text, each with the boilerplate span it came from."""
    meta = TextMeta()
    first_nl = text.find("\n")
    first = text if first_nl < 0 else text[:first_nl]
    rest = "" if first_nl < 0 else text[first_nl + 1 :]
    body_start = 0
    if not has_title and rest.strip() and _looks_like_headline(first, rest):
        meta.title = first.strip()
        meta.boilerplate.append(Boilerplate(Span.of(text, 0, len(first)), "headline"))
        body_start = first_nl + 1
    _read_dateline(text, body_start, meta)
    if m := _TRANSLATOR.search(text):
        meta.translator = m.group("name").strip()
    if m := _ORIGINAL.search(text):
        meta.original_url = m.group("url")
    return meta


def _looks_like_headline(first: str, rest: str) -> bool:
    line = first.strip()
    if not line or len(line) > 200 or _HEADLINE_END.search(line):
        return False
    if _DATELINE_OUTLET_DATE.match(line) or _DATELINE_ZH.match(line):
        return False
    return len(rest.strip()) > len(line)


def _read_dateline(text: str, offset: int, meta: TextMeta) -> None:
    # The dateline opens the first paragraph of the body (skipping blank lines).
    while offset < len(text) and text[offset] in "\n \t":
        offset += 1
    head = text[offset : offset + 200]
    for rx in (_DATELINE_OUTLET_DATE, _DATELINE_PLACE_AGENCY, _DATELINE_ZH):
        m = rx.match(head)
        if m and m.group("outlet"):
            outlet = m.group("outlet").strip()
            if rx is _DATELINE_OUTLET_DATE and outlet.split()[0].lower().rstrip(".,") in _NOT_OUTLET:
                continue
            meta.outlet = outlet
            meta.dateline_date = m.groupdict().get("date")
            meta.boilerplate.append(Boilerplate(Span.of(text, offset, offset + m.end()), "dateline"))
            return
