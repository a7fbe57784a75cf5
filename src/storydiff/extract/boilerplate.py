"""Find boilerplate in article text (captions, teasers, disclaimers, credits, headings) and return it
as labelled spans. Nothing is removed: later stages skip these spans when comparing content."""

from __future__ import annotations

import re
from typing import Iterator

from ..model import Boilerplate, Span

_LINE = re.compile(r"[^\n]+")

# Whole lines that are a teaser for another article.
_TEASER = re.compile(
    r"^\s*(?:read (?:next|more|also)|also read|see also|related(?: articles?| stories| coverage)?|more on this|"
    r"recommended|watch|listen|you may also like|don't miss|must read|"
    r"相关阅读|延伸阅读|推荐阅读|相关新闻|更多阅读|阅读更多)\s*[:：>»|-]",
    re.I,
)
_TEASER_WHOLE = re.compile(r"^\s*(?:read the (?:rest|full story|full article)(?: here)?|continue reading|click here to read more)\W*$", re.I)

# Publisher disclaimers and notices.
_DISCLAIMER = re.compile(
    r"^\s*(?:statement|disclaimer|declaration|note to readers|editor'?s note|copyright|©|\(c\)|"
    r"声明|免责声明|版权声明|特别声明)\s*[:：]"
    r"|^\s*(?:this article (?:represents|reflects) the (?:views|opinions?)|the views expressed|"
    r"all rights reserved|this (?:article|story) (?:was|has been) (?:updated|corrected)|"
    r"本文(?:仅)?代表作者|本文系作者|未经授权)",
    re.I,
)

# Photo / image captions: a line that carries a photo credit, or starts like a caption.
_CAPTION = re.compile(
    r"\((?:[A-Z][\w.&' -]{0,40}\s)?(?:Photo|Photograph|Image|Picture|Video|File photo)s?\b[^)]{0,80}\)\s*$"
    r"|\b(?:Photo|Image|Picture)(?: credit)?\s*[:/]\s*[^.]{2,80}$"
    r"|^\s*(?:FILE PHOTO|FILE|PHOTO|IMAGE|CAPTION)\s*[:-]"
    r"|(?:Getty Images|Reuters/[A-Z][\w ]+|AFP/Getty|Shutterstock)\)?\s*$"
    r"|^\s*(?:图为|图片来源|（图片来源|资料图|图源)",
    re.I,
)

# Credits inside or at the end of a content line.
_CREDIT = re.compile(
    r"[(（]\s*(?:translated|compiled|edited|reporting|written|additional reporting|editing)\s+by\b[^)）]{1,120}[)）]"
    r"|[(（]\s*(?:编译|翻译|译者|编辑|责任编辑|责编|记者)\s*[:：]?[^)）]{1,40}[)）]"
    r"|[(（]\s*(?:traduit|traduction|traducido|traducción|übersetzt|tradotto)\b[^)）]{1,120}[)）]"
    r"|^\s*(?:©|\(c\)|copyright\b)[^\n]{0,160}$"
    r"|^[^\n]{0,80}\b(?:all rights reserved|reproduced (?:under|with) (?:licen[cs]e|permission))\W*$"
    r"|^\s*(?:translated by|reporting by|editing by|compiled by|(?:责任)?编辑[:：]|译者[:：]|责编[:：])[^\n]{0,160}$",
    re.I | re.M,
)

_SOURCE_URL = re.compile(r"^\s*(?:original|source|原文|原文链接|来源)\s*[:：]\s*(https?://\S+)\s*$", re.I)
_BYLINE = re.compile(r"^\s*(?:by|作者[:：]?)\s+[A-Z\u4e00-\u9fff][\w.'\- ]{1,60}(?:,\s*[\w .'-]{1,60})?\s*$")
_SEPARATOR = re.compile(r"^\s*[-–—_*=~•·.]{1,}\s*$")
_SENTENCE_END = re.compile(r"[.!?。！？\"”’'»)）:：;；…]\s*$")


def find_boilerplate(text: str) -> Iterator[Boilerplate]:
    """Yield labelled boilerplate spans of ``text``, in text order."""
    lines = [(m.start(), m.end(), m.group()) for m in _LINE.finditer(text)]
    for idx, (start, end, line) in enumerate(lines):
        kind = line_kind(line, idx, len(lines), lines)
        if kind:
            yield Boilerplate(Span.of(text, start, end), kind)
            continue
        for m in _CREDIT.finditer(line):
            yield Boilerplate(Span.of(text, start + m.start(), start + m.end()), "credit")


def line_kind(line: str, idx: int, n_lines: int, lines: list[tuple[int, int, str]]) -> str | None:
    """The boilerplate kind of one whole line, or None when the line is content."""
    stripped = line.strip()
    if not stripped or _SEPARATOR.match(stripped):
        return "separator" if stripped else None
    if _SOURCE_URL.match(stripped):
        return "source-url"
    if _TEASER.match(stripped) or _TEASER_WHOLE.match(stripped):
        return "teaser"
    if _DISCLAIMER.match(stripped):
        return "disclaimer"
    if _CAPTION.search(stripped):
        return "caption"
    if _BYLINE.match(stripped) and len(stripped) < 80:
        return "byline"
    if _is_heading(stripped, idx, n_lines, lines):
        return "heading"
    return None


def _is_heading(line: str, idx: int, n_lines: int, lines: list[tuple[int, int, str]]) -> bool:
    """A short line without closing punctuation followed by a longer paragraph: a section heading."""
    if idx == 0 or idx + 1 >= n_lines:
        return False
    words = line.split()
    cjk = sum(1 for ch in line if "\u4e00" <= ch <= "\u9fff")
    short = len(words) <= 10 if cjk < 4 else len(line) <= 20
    if not short or _SENTENCE_END.search(line):
        return False
    nxt = lines[idx + 1][2].strip()
    return len(nxt) > 2 * len(line) and bool(_SENTENCE_END.search(nxt))
