"""Learned attribution frames: candidate frames from the parse, the counts table, and the
attributions they add where the quotation rules find none."""

from storydiff.analyze import frames
from storydiff.analyze.nlp import english

from .conftest import assert_spans_valid


def _keys(text):
    doc = english()(text)
    return {f.key for f in frames.frames(doc)}


def test_frames_name_lemma_particle_and_relation():
    keys = _keys("The senator called for a ban on imports and pointed out the cost.")
    assert ("call", "VERB", "prep:for") in keys
    assert ("point_out", "VERB", "dobj") in keys


def test_parenthetical_cue_is_a_parataxis_frame():
    keys = _keys("The only problem, Ms. Bigbee said, is that the pay is low.")
    assert ("say", "VERB", "parataxis") in keys


def test_select_uses_smoothed_rate_and_best_extent(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_text(
        "# counts\nlemma\tpos\trelation\textent\thits\tseen\n"
        "back\tVERB\tdobj\ttree\t30\t60\n"
        "back\tVERB\tdobj\tedge\t20\t60\n"
        "rare\tVERB\tdobj\ttree\t1\t1\n"  # one hit: too few to trust
        "make\tVERB\tdobj\ttree\t40\t900\n",  # common verb, rarely an attribution
        encoding="utf-8",
    )
    chosen = frames.select(frames.read_table(path))
    assert chosen == {("back", "VERB", "dobj"): "tree"}
    assert frames.select(frames.read_table(path), min_rate=0.01, min_hits=1)[("rare", "VERB", "dobj")] == "tree"


def test_packaged_table_adds_stance_attributions(analyze_text):
    art = analyze_text("Governor Lee backed the new water tax on Tuesday.", language="en")
    assert_spans_valid(art)
    found = [q for q in art.quotes if q.cue is not None and q.cue.text == "backed"]
    assert found and found[0].kind == "indirect"
    assert found[0].speaker is not None and found[0].speaker.text == "Governor Lee"
    assert "the new water tax" in found[0].content.text


def test_rules_and_learned_frames_do_not_double_count(analyze_text):
    from storydiff.analyze.quotes import english_quotes

    text = "The minister said that the border would reopen next week."
    doc = english()(text)
    with_frames = english_quotes(text, doc)
    without = english_quotes(text, doc, learned=False)
    assert [(q.content.start, q.content.end) for q in with_frames] == [(q.content.start, q.content.end) for q in without]


def test_learner_counts_hits_and_writes_a_readable_table(tmp_path):
    from storydiff.evaluate.learn_frames import count, write
    from storydiff.evaluate.polnear import GoldAttribution, GoldDoc

    text = "Governor Lee backed the water tax. The mayor ate the cake."
    content = (text.index("the water tax"), text.index("the water tax") + len("the water tax"))
    cue = (text.index("backed"), text.index("backed") + len("backed"))
    doc = GoldDoc("g", text, [GoldAttribution(content, (0, 12), cue, False)])
    stats = count([doc], english())
    assert stats[("back", "VERB", "dobj", "tree")] == [1, 1]
    assert stats[("eat", "VERB", "dobj", "tree")] == [0, 1]
    out = tmp_path / "frames.tsv"
    write(stats, out, 1)
    table = frames.read_table(out)
    assert table[("back", "VERB", "dobj")]["tree"] == (1, 1)
    assert ("eat", "VERB", "dobj") not in table  # never right: not written
