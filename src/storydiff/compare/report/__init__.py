"""Renderings of a ``Comparison``: JSON, Markdown, HTML, a terminal summary and pandas tables."""
