"""Citations: whom an article attributes its information to ("according to The New York Times",
"obtained by Reuters", "as reported by the NYT", "据《纽约时报》报道"), as a source name plus span."""

from __future__ import annotations

import re

from ..model import Citation, Quote, Span

_WORD = r"[\"“]?[A-Z][\w&'’-]*(?:\.[A-Z])*\.?(?<!\w\w\.)[\"”]?"
_NAME = rf"(?:the\s+)?(?:U\.S\.\s+)?{_WORD}(?:\s+(?:of\s+|for\s+|and\s+|&\s+|de\s+|the\s+)?{_WORD}){{0,6}}(?:\s+\([A-Z]{{2,6}}\))?"
_EN_PATTERNS = [
    (re.compile(rf"\b[Aa]ccording to (?P<src>(?:the website of |a report (?:by|in|from) |reports? (?:by|in|from) )?{_NAME})"), "according to"),
    (re.compile(rf"\b(?:obtained|seen|reviewed|published|first reported|reported|cited|revealed) by (?P<src>{_NAME})"), "reported by"),
    (re.compile(rf"\bas (?:previously |first |earlier )?(?:reported|cited|noted) by (?P<src>{_NAME})"), "reported by"),
    (re.compile(rf"(?P<src>{_NAME}) (?:first |previously |earlier )?(?:reported|reports|revealed|has reported|had reported)\b"), "reported"),
    (re.compile(rf"\b(?:told|in an interview with|speaking to|in a statement to) (?P<src>{_NAME})"), "told"),
    (re.compile(rf"\b(?:citing|quoting) (?P<src>{_NAME})"), "citing"),
    # French, Spanish, Italian, German, Portuguese "according to"
    (re.compile(rf"\b(?:[Ss]elon|[Dd]'après|[Ss]egún|[Ss]econdo|[Ll]aut|[Ss]egundo) (?:(?:la|le|les|l'|el|los|las|il|lo|die|der|das|o|a) ?)?(?P<src>{_NAME})"), "according to"),
]
_ZH_PATTERNS = [
    (re.compile(r"据(?P<src>[^，,。]{2,24}?)(?:网站|网|官网)?(?:\d{1,2}月\d{1,2}日)?(?:报道|消息|称|披露|援引)"), "according to"),
    (re.compile(r"(?P<src>《[^》]{1,20}》)(?:网站)?(?:\d{1,2}月\d{1,2}日)?(?:报道|称|披露)"), "reported"),
]
_STOP_SOURCES = {"the", "he", "she", "it", "they", "this", "that", "these", "a", "an", "we", "i", "as", "officials",
                 "sources", "but", "and", "however", "also", "it", "there", "what", "who"}
OUTLET_ALIASES = {
    "nyt": "The New York Times", "new york times": "The New York Times", "the new york times": "The New York Times",
    "wsj": "The Wall Street Journal", "wapo": "The Washington Post", "ap": "Associated Press",
    "the associated press": "Associated Press", "afp": "Agence France-Presse", "bbc": "BBC",
    "纽约时报": "The New York Times", "《纽约时报》": "The New York Times", "路透社": "Reuters", "美联社": "Associated Press",
    "法新社": "Agence France-Presse", "华盛顿邮报": "The Washington Post", "《华盛顿邮报》": "The Washington Post",
}


def find_citations(text: str, language: str | None, quotes: list[Quote] | None = None) -> list[Citation]:
    """Citations found by cue patterns, plus the named sources of "according to" attributions."""
    patterns = _ZH_PATTERNS if language == "zh" else _EN_PATTERNS
    seen: set[tuple[int, int]] = set()
    out: list[Citation] = []
    for rx, cue in patterns:
        for m in rx.finditer(text):
            s, e = _trim_source(text, *m.span("src"))
            if e <= s or text[s:e].split()[-1].lower() in _STOP_SOURCES:
                continue
            if (s, e) in seen:
                continue
            seen.add((s, e))
            out.append(Citation(Span.of(text, s, e), Span.of(text, m.start(), m.end()), cue))
    out.sort(key=lambda c: c.span.start)
    return out


def _trim_source(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in "\"“ ":
        s += 1
    while e > s and text[e - 1] in "\"”., ":
        e -= 1
    for lead in ("the website of ", "a report by ", "a report in ", "a report from ", "reports by ", "reports in ", "report by "):
        if text[s:e].lower().startswith(lead):
            s += len(lead)
    return s, e


def canonical_source(name: str) -> str:
    """A key that merges wordings of one source: "the NYT", "The New York Times (NYT)", "《纽约时报》"."""
    n = re.sub(r"\s*\([A-Z]{2,6}\)$", "", name.strip().strip("\"“”《》 "))
    n = n.replace("U.S. ", "").replace("US ", "")
    key = n.lower().strip()
    key = re.sub(r"^the\s+", "", key).replace('"', "").replace("“", "").replace("”", "")
    if key in OUTLET_ALIASES or "the " + key in OUTLET_ALIASES:
        return OUTLET_ALIASES.get(key, OUTLET_ALIASES.get("the " + key))
    return n[4:] if n.lower().startswith("the ") and len(n) > 4 else n
