"""The span invariant: every annotation of every layer satisfies text[start:end] == span.text and
lies inside the text, for generated inputs and for real articles."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storydiff.extract import extract
from storydiff.model import RawDocument

from .conftest import assert_spans_valid

PIECES = [
    "The minister said", "that", '"we will act now,"', "according to The Daily Star,", "on November 20",
    "last week", "7,500 refugee slots", "$1.95 billion", "30%", "Reuters reported", "“Nobody knew,” she said.",
    "\n", "\n\n", "Read next: more news", "(AP Photo/Jane Doe)", "外交部发言人表示：“我们反对。”", "11月20日",
    "据《纽约时报》报道，", "Officials", ".", ",", " ", "‘quoted words here’", "«citation en français»", "\t", "é", "🙂",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30), st.sampled_from([None, "en", "zh", "fr"]))
def test_spans_valid_on_generated_text(analyze_text, pieces, language):
    text = " ".join(pieces).strip() or "x"
    art = extract(RawDocument(id="g", source_path="g.txt", text=text))
    art.language = language
    art = analyze_text(art.text, language=language)
    assert_spans_valid(art)


def test_spans_valid_on_real_articles(analyzer):
    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    files = sorted(seeds.glob("*.txt")) + sorted((Path(__file__).resolve().parents[1] / "examples" / "articles").glob("*"))
    arts = [extract(RawDocument(id=f.stem, source_path=str(f), text=f.read_text(encoding="utf-8"))) for f in files if f.suffix in {".txt", ".md"}]
    assert arts, "no real articles found"
    for art in analyzer.analyze(arts):
        assert art.sentences and art.entities
        assert_spans_valid(art)
