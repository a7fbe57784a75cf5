"""Compute every quality figure of the gate: ``python -m storydiff.evaluate.run``."""

from __future__ import annotations

import json
import sys
import time

from ..analyze import Analyzer
from ..analyze.dates import find_dates, parse_anchor
from ..analyze.nlp import english
from ..analyze.quotes import english_quotes
from ..model import Article
from ..settings import Settings
from . import polnear, timeml


def quotes_scores(split: str = "dev") -> dict[str, float]:
    docs = list(polnear.load(split))
    nlp = english(Settings().spacy_model)

    def predict(texts):
        return [english_quotes(t, d) for t, d in zip(texts, nlp.pipe(texts, batch_size=16))]

    return polnear.evaluate(docs, predict)


def _dates(docs):
    nlp = english(Settings().spacy_model)
    out = []
    for doc, sp in zip(docs, nlp.pipe([d.text for d in docs], batch_size=16)):
        anchor = parse_anchor(_iso(doc.dct))
        out.append(find_dates(doc.text, sp, anchor, "en"))
    return out


def _iso(v: str | None) -> str | None:
    if v and len(v) >= 8 and v[:8].isdigit():
        return f"{v[:4]}-{v[4:6]}-{v[6:8]}"
    return v


def tempeval_scores() -> dict[str, float]:
    docs = list(timeml.load_tempeval())
    return timeml.score_dates(docs, _dates)


def meantime_scores() -> dict[str, float]:
    docs = list(timeml.load_meantime())
    scores = timeml.score_dates(docs, _dates)
    arts = [Article(id=d.id, text=d.text, language="en", published=_iso(d.dct)) for d in docs]
    arts = list(Analyzer(Settings()).analyze(arts))
    scores.update(timeml.score_spans(docs, [d.values for d in docs], [[(n.span.start, n.span.end) for n in a.numbers] for a in arts], "number_"))
    scores.update(timeml.score_spans(docs, [d.entities for d in docs], [[(e.span.start, e.span.end) for e in a.entities] for a in arts], "entity_"))
    return scores


def alignment_scores() -> dict[str, float]:
    """Cross-lingual statement alignment on WMT22 en->zh news documents (see evaluate/alignment.py)."""
    from ..settings import Settings
    from .alignment import evaluate

    return {k: round(v, 4) for k, v in evaluate(Settings().similarity_threshold).items()}


def ecbplus_scores(first_lines_only: bool = False) -> dict[str, float]:
    """Event-level story clustering on ECB+, or on each article's first line alone: headlines in
    one language (see evaluate/ecbplus.py)."""
    from .ecbplus import evaluate, first_lines, load_ecbplus

    items = load_ecbplus()
    items = first_lines(items) if first_lines_only else items
    return {k: round(v, 4) for k, v in evaluate(items=items).items() if k != "clusters"}


def wikinews_scores() -> dict[str, float]:
    """Cross-lingual story clustering on Wikinews en/fr/it, full text and titles alone (see
    evaluate/wikinews.py)."""
    from .wikinews import evaluate

    out = {}
    for titles, prefix in ((False, "text_"), (True, "titles_")):
        out.update({prefix + k: round(v, 4) for k, v in evaluate(titles).items()})
    return out


def translation_scores() -> dict[str, float]:
    """WMT22 English documents and their Chinese translations in one story, among Wikinews
    articles (see evaluate/translations.py)."""
    from .translations import evaluate

    return {k: round(v, 4) for k, v in evaluate().items()}


RUNNERS = {  # the quality gate's datasets (tests/quality/baseline.json), in the order main() runs them
    "polnear_dev": quotes_scores,
    "tempeval3_train": tempeval_scores,
    "meantime": meantime_scores,
    "wmt22_alignment": alignment_scores,
    "ecbplus_events": ecbplus_scores,
    "ecbplus_first_lines": lambda: ecbplus_scores(first_lines_only=True),
    "wikinews_stories": wikinews_scores,
    "wmt22_translation_stories": translation_scores,
}


def main() -> None:
    out = {}
    for name, fn in RUNNERS.items():
        t = time.time()
        out[name] = fn()
        out[name]["seconds"] = round(time.time() - t, 1)
        print(name, json.dumps(out[name]), file=sys.stderr)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
