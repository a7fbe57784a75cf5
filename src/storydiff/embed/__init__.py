"""Sentence vectors behind one interface (see ``encoder.py``)."""

from .encoder import Encoder, HashingEncoder, SentenceTransformerEncoder, USEEncoder, get_encoder, preload

__all__ = ["Encoder", "HashingEncoder", "SentenceTransformerEncoder", "USEEncoder", "get_encoder", "preload"]
