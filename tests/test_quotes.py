"""Quotation extraction: direct and indirect, speaker and cue, English and Chinese."""

import pytest

from storydiff.analyze.quotes import find_quoted

from .conftest import assert_spans_valid

CASES = [
    # (text, quoted content, speaker, kind)
    ('"We will rebuild the bridge by spring," Mayor Ana Ruiz said on Monday.', "We will rebuild the bridge by spring,", "Mayor Ana Ruiz", "direct"),
    ('Mayor Ana Ruiz said: "We will rebuild the bridge by spring."', "We will rebuild the bridge by spring.", "Mayor Ana Ruiz", "direct"),
    ('“The talks have failed completely,” said a senior official.', "The talks have failed completely,", "a senior official", "direct"),
    ("The minister said that the border would reopen next week.", "that the border would reopen next week", "The minister", "indirect"),
    ("According to the cable, the embassy must report every case.", "the embassy must report every case", "the cable", "indirect"),
    ("The port will stay closed until Friday, officials said.", "The port will stay closed until Friday", "officials", "indirect"),
    # reported speech widened to the sentence's end stops at another source's "according to"
    ("The mayor said on Monday that the bridge would reopen, according to the city council.", "that the bridge would reopen", "The mayor", "indirect"),
]


@pytest.mark.parametrize("text,content,speaker,kind", CASES)
def test_quotes_attributes_speaker(analyze_text, text, content, speaker, kind):
    art = analyze_text(text, language="en")
    assert_spans_valid(art)
    found = [q for q in art.quotes if q.content.text == content]
    assert found, [q.content.text for q in art.quotes]
    q = found[0]
    assert q.kind == kind
    assert q.speaker is not None and q.speaker.text == speaker


def test_quotes_split_by_cue_keep_speaker_for_both_pieces(analyze_text):
    art = analyze_text('"We tried," she said. "Nobody listened to us at all."', language="en")
    direct = [q for q in art.quotes if q.kind == "direct"]
    assert [q.content.text for q in direct] == ["We tried,", "Nobody listened to us at all."]
    assert all(q.speaker is not None and q.speaker.text == "she" for q in direct)


def test_quotes_skip_quoted_names_and_scare_quotes(analyze_text):
    art = analyze_text('He reads the "New York Times" every day. The so-called "reform" passed.', language="en")
    assert not [q for q in art.quotes if q.kind == "direct"]


def test_quotes_paragraph_continuation_inherits_speaker(analyze_text):
    text = '"The first part is done," the engineer said.\n"The second part will take another year of work."'
    art = analyze_text(text, language="en")
    second = [q for q in art.quotes if q.content.text.startswith("The second")][0]
    assert second.speaker is not None and second.speaker.text == "the engineer"


def test_quotes_chinese_marks_and_speaker(analyze_text):
    art = analyze_text("外交部发言人毛宁表示：“中方坚决反对这一做法，并将采取必要措施。”", language="zh")
    assert_spans_valid(art)
    q = [q for q in art.quotes if q.kind == "direct"][0]
    assert q.content.text == "中方坚决反对这一做法，并将采取必要措施。"
    assert q.speaker is not None and "毛宁" in q.speaker.text


@pytest.mark.parametrize(
    "text,expected",
    [
        ('a "b c" d', ["b c"]),
        ("it’s the ‘best of all worlds’ here", ["best of all worlds"]),
        ("«Nous partons demain», a-t-il dit.", ["Nous partons demain"]),
        ("「我们会回来的」他说。", ["我们会回来的"]),
        ('unclosed "quote here', []),
        ("don’t and won’t", []),
    ],
)
def test_find_quoted_pairs_marks(text, expected):
    assert [text[s:e] for s, e in find_quoted(text)] == expected


def test_find_quoted_doubled_apostrophes_and_backticks():
    text = "''That, unfortunately,'' he said. ``It is part of life.'' The students'' books."
    assert [text[a:b] for a, b in find_quoted(text)] == ["That, unfortunately,", "It is part of life."]


def test_quotes_doubled_apostrophes_split_by_cue(analyze_text):
    art = analyze_text("''That, unfortunately,'' he said, ''is part of the reality of life.''", language="en")
    assert_spans_valid(art)
    direct = [q for q in art.quotes if q.kind == "direct"]
    assert [q.content.text for q in direct] == ["That, unfortunately,", "is part of the reality of life."]
    assert all(q.speaker is not None and q.speaker.text == "he" for q in direct)


@pytest.mark.parametrize(
    "text,speaker",
    [
        # a name after a dash closing the quotation's line
        ("“Maybe we can build a wall around the stadium instead.” ― Steve Quinlan\nNext paragraph here.", "Steve Quinlan"),
        # a participle cue speaks for the subject of the clause it hangs from
        ('His office put out a statement saying the country "cannot afford another wave of arrivals this year."', "His office"),
    ],
)
def test_direct_quote_speaker_conventions(analyze_text, text, speaker):
    art = analyze_text(text, language="en")
    assert_spans_valid(art)
    q = next(q for q in art.quotes if q.kind == "direct")
    assert q.speaker is not None and q.speaker.text == speaker


def test_quotes_pronoun_speaker_kept_as_written(analyze_text):
    text = 'Secretary General Ban Ki-moon condemned what he called a "brazen breach" of the rules.'
    art = analyze_text(text, language="en")
    q = next(q for q in art.quotes if q.kind == "direct")
    assert q.speaker is not None and q.speaker.text == "he" and q.speaker.start == text.index(" he ") + 1


def test_speaker_between_quote_and_cue():
    from storydiff.analyze.quotes import _speaker_before_cue

    text = "“We will achieve justice in this case,” Tulsa police Chief Chuck Jordan said Monday."
    assert _speaker_before_cue(text, text.index("”"), text.index("said")).text == "Tulsa police Chief Chuck Jordan"
    other = "“We will achieve justice.”\nThe next paragraph has a cue word said here."
    assert _speaker_before_cue(other, other.index("”"), other.index("said")) is None


def test_indirect_content_stops_at_the_speakers_own_clause(analyze_text):
    text = "She said they would vote for the mayor again; this time the number has dropped to 35 percent."
    art = analyze_text(text, language="en")
    q = next(q for q in art.quotes if q.kind == "indirect")
    assert q.content.text == "they would vote for the mayor again"


def test_split_quotation_is_not_repeated_as_reported_speech(analyze_text):
    art = analyze_text("“That, unfortunately,” he said, “is part of the reality of life,” the mayor added.", language="en")
    assert [q.kind for q in art.quotes] == ["direct", "direct"]
