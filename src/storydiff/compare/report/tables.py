"""Long-format pandas tables: one row per mention, ready for groupby and joins."""

from __future__ import annotations

from .json import article_dict


def to_pandas(comp) -> dict:
    import pandas as pd

    arts = pd.DataFrame([{k: v for k, v in article_dict(a).items() if k != "boilerplate"} for a in comp.articles])
    statements = pd.DataFrame(
        [{"statement": s.id, "status": s.status, "score": s.score, **m.to_dict()} for s in comp.statements for m in s.mentions],
        columns=["statement", "status", "score", "article", "start", "end", "text"],
    )
    quotes = pd.DataFrame(
        [
            {"group": g.id, "group_speaker": g.speaker, "group_drift": g.drift, **{k: v for k, v in q.to_dict().items() if k != "changes"}}
            for g in comp.quotes
            for q in g.variants
        ],
        columns=["group", "group_speaker", "group_drift", "article", "start", "end", "text", "kind", "speaker", "speaker_start", "speaker_end", "drift"],
    )
    conflicts = pd.DataFrame(
        [{"conflict": i, "kind": c.kind, "about": c.about, "evidence": c.evidence, **v.to_dict()} for i, c in enumerate(comp.conflicts) for v in c.values],
        columns=["conflict", "kind", "about", "evidence", "article", "start", "end", "text"],
    )
    citations = pd.DataFrame([c.to_dict() for c in comp.citations], columns=["article", "source", "start", "end", "text", "cue"])
    relations = pd.DataFrame([r.to_dict() for r in comp.relations], columns=["a", "b", "kind", "shared_a", "shared_b", "verbatim", "derived", "reason"])
    return {"articles": arts, "statements": statements, "quotes": quotes, "conflicts": conflicts, "citations": citations, "relations": relations}
