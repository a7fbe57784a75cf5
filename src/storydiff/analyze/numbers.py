"""Numbers and quantities with value and unit: "7,500 refugee slots" (7500, "refugee slots"),
"30%" (30, "%"), "$1.95 billion" (1.95e9, "USD"), "三名官员", "19.5亿美元"."""

from __future__ import annotations

import re

from ..model import NumberMention, Span

# Scale words after digits, in English and in other languages ("2,5 miliardi", "3 millions",
# "1,2 Milliarden", "40 millones"); "k" and "m" only in spelled-out amounts.
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "k": 1e3, "m": 1e6, "bn": 1e9, "mn": 1e6,
          "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "milione": 1e6, "milioni": 1e6, "miliardo": 1e9,
          "miliardi": 1e9, "millón": 1e6, "millones": 1e6, "millionen": 1e6, "milliarde": 1e9, "milliarden": 1e9,
          "mrd": 1e9}
WORD_NUMS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "a dozen": 12,
    "half": 0.5, "a hundred": 100, "a thousand": 1000,
}
CURRENCIES = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY", "dollars": "USD", "dollar": "USD",
              "euros": "EUR", "euro": "EUR", "pounds": "GBP", "yuan": "CNY", "rmb": "CNY", "美元": "USD", "元": "CNY",
              "人民币": "CNY", "欧元": "EUR", "英镑": "GBP", "日元": "JPY", "yen": "JPY"}


def _number_pattern(num: str) -> re.Pattern:
    """Digits written as ``num`` allows, with an optional currency before and scale or percent after."""
    scale = "|".join(sorted((w for w in SCALES if len(w) > 1), key=len, reverse=True))
    return re.compile(r"(?P<cur>US\$|\$|€|£|¥)?\s?(?P<num>" + num + r")(?:\s?(?P<scale>" + scale + r")\b)?"
                      r"\s?(?P<pct>%|percent\b|per cent\b)?", re.I)


_EN_NUM = _number_pattern(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
# Languages that write 6.8 with a decimal point; the others (French, Italian, German, Spanish,
# Russian, ...) write "6,8" and group thousands as "2.700" or "2 700" (no-break spaces).
DECIMAL_POINT = frozenset({"en", "zh", "ja", "ko", "th", "he", "hi", "bn", "ta", "ur", "ms", "tl", "sw", "ga"})
_COMMA_NUM = _number_pattern(r"\d{1,3}(?:[.\u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:,\d+)?")
_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 1e4, "亿": 1e8}
_ZH_NUM = re.compile(
    r"(?P<num>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)(?P<scale>万|亿|万亿)?(?P<pct>%|％)?"
    r"(?P<unit>美元|欧元|英镑|日元|人民币|元|名|个|人|条|项|份|架|辆|艘|座|家|位|起|次|岁|年|倍)?"
)


def english_numbers(text: str, doc) -> list[NumberMention]:
    """Numbers from spaCy's CARDINAL/MONEY/PERCENT/QUANTITY entities, with the noun they count."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in {"CARDINAL", "MONEY", "PERCENT", "QUANTITY"}:
            continue
        value, unit = parse_number(ent.text)
        if value is None:
            continue
        end = ent.end_char
        if unit is None:
            noun = _counted_noun(ent)
            if noun is not None:
                unit, end = noun.text, noun.idx + len(noun)
                unit_start = min(t.idx for t in noun.subtree if t.i >= ent.end) if any(t.i >= ent.end for t in noun.subtree) else noun.idx
                unit = text[unit_start:end] if unit_start < end else noun.text
        out.append(NumberMention(Span.of(text, ent.start_char, end), value, unit))
    return out


def _counted_noun(ent):
    """The noun a cardinal counts: "7,500 refugee slots" -> "refugee slots" (compounds kept)."""
    last = ent[-1]
    head = last.head
    if last.dep_ in {"nummod", "quantmod", "compound"} and head.pos_ in {"NOUN", "PROPN"} and head.i >= ent.end:
        if head.i - ent.end <= 3:
            return head
    return None


def parse_number(s: str) -> tuple[float | None, str | None]:
    """(value, unit) of a number expression such as "$1.95 billion", "30%", "three", "7,500"."""
    t = s.strip().lower().replace("\u00a0", " ")
    t = re.sub(r"^(?:about|around|nearly|almost|more than|over|under|less than|at least|some|roughly|approximately|up to)\s+", "", t)
    m = _EN_NUM.search(t)
    unit = None
    if m:
        value = float(m["num"].replace(",", ""))
        if m["scale"]:
            value *= SCALES[m["scale"].lower()]
        if m["pct"]:
            unit = "%"
        elif m["cur"]:
            unit = CURRENCIES.get(m["cur"].lower())
        else:
            rest = t[m.end():].strip().split()
            if rest and rest[0] in CURRENCIES:
                unit = CURRENCIES[rest[0]]
        return value, unit
    words = t.replace("-", " ").split()
    total, seen = 0.0, False
    for w in words:
        if w in WORD_NUMS:
            n = WORD_NUMS[w]
            total = total * n if n == 100 and total else total + n
            seen = True
        elif w in SCALES and seen:
            total *= SCALES[w]
        elif w in {"percent", "%"}:
            unit = "%"
        elif w in CURRENCIES:
            unit = CURRENCIES[w]
    return (total, unit) if seen else (None, None)


def chinese_numbers(text: str) -> list[NumberMention]:
    out = []
    for m in _ZH_NUM.finditer(text):
        num = m["num"]
        if not num or (not num[0].isdigit() and not (m["unit"] or m["scale"])):
            continue
        if text[m.end() : m.end() + 1] in "月日年号时" and not m["unit"]:
            continue  # a date part
        value = float(num) if num[0].isdigit() else _zh_value(num)
        if value is None:
            continue
        if m["scale"]:
            value *= 1e12 if m["scale"] == "万亿" else _ZH_UNITS[m["scale"]]
        unit = "%" if m["pct"] else CURRENCIES.get(m["unit"] or "", m["unit"])
        out.append(NumberMention(Span.of(text, m.start(), m.end()), value, unit))
    return out


def _zh_value(s: str) -> float | None:
    total, cur = 0, 0
    for ch in s:
        if ch in _ZH_DIGITS:
            cur = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            total += (cur or 1) * _ZH_UNITS[ch]
            cur = 0
        else:
            return None
    return float(total + cur)


def pattern_numbers(text: str, language: str | None = None) -> list[NumberMention]:
    """Digits with optional currency/scale/percent, for languages without a parser here. In a
    language that writes decimals with a comma, "6,8" is 6.8 and "2.700" is 2700."""
    comma = bool(language) and language not in DECIMAL_POINT
    out = []
    for m in (_COMMA_NUM if comma else _EN_NUM).finditer(text):
        expr = m.group()
        if comma:  # rewritten as English writes it, for parse_number
            s, e = m.span("num")
            num = re.sub(r"[.\u00a0\u202f]", "", m["num"]).replace(",", ".")
            expr = text[m.start() : s] + num + text[e : m.end()]
        value, unit = parse_number(expr)
        if value is not None and m.group().strip():
            out.append(NumberMention(Span.of(text, m.start(), m.end()), value, unit))
    return out
