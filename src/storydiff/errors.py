"""Every exception storydiff raises on purpose, in one tree::

    StorydiffError
    ├── InputError               an input cannot be read or understood (carries source and line)
    │   ├── UnsupportedFormat    unknown extension or content type
    │   ├── EmptyInput           nothing to analyse (empty file, page with no article)
    │   ├── BinaryInput          not text (NUL bytes, undecodable)
    │   │   └── CorruptArchive   a compressed input (.gz, .bz2, .xz) that does not decompress
    │   ├── InputTooLarge        over the configured size limit
    │   └── MalformedRecord      a JSON / JSONL record that does not parse or lacks fields
    ├── ConfigError              bad settings (unknown key, wrong type, unreadable config file)
    ├── MissingDependency        an optional dependency is absent; the message gives the install command
    ├── InvalidQuery             a query argument that cannot be read (a "since" that is no date)
    └── StoreError               the corpus store cannot be used
        ├── StoreUnavailable     the database cannot be reached or went away (server down, locked)
        ├── CorruptStore         the file is damaged or is not a database at all
        ├── ForeignDatabase      a database, but not a storydiff store (other tables, no version)
        ├── SchemaTooNew         written by a newer storydiff than this one
        ├── NotFound             no story / article with that id
        └── BadSavedState        a saved clusterer state beside the store cannot be read back
                                 (ingest notes it and reads the store in full)

The CLI maps each to one clear line and a non-zero exit code.
"""

from __future__ import annotations


class StorydiffError(Exception):
    """Base of every error storydiff raises on purpose."""


class InputError(StorydiffError):
    """An input cannot be read or understood."""

    def __init__(self, message: str, source: str | None = None, line: int | None = None):
        self.reason = message
        self.source = source
        self.line = line
        where = ""
        if source:
            where = f"{source}:{line}: " if line is not None else f"{source}: "
        super().__init__(where + message)


class UnsupportedFormat(InputError):
    """Unknown extension or content type."""


class EmptyInput(InputError):
    """Nothing to analyse."""


class BinaryInput(InputError):
    """The input is not text."""


class CorruptArchive(BinaryInput):
    """A compressed input that cannot be decompressed (damaged or cut short)."""


class InputTooLarge(InputError):
    """The input exceeds the size limit."""


class MalformedRecord(InputError):
    """A JSON or JSONL record that does not parse or lacks required fields."""


class ConfigError(StorydiffError):
    """Bad settings."""


class MissingDependency(StorydiffError):
    """An optional dependency is not installed."""

    def __init__(self, package: str, extra: str | None = None):
        cmd = f"pip install 'storydiff[{extra}]'" if extra else f"pip install {package}"
        super().__init__(f"{package} is required for this feature: {cmd}")


class InvalidQuery(StorydiffError):
    """A query argument that cannot be read, such as a date filter that is no date."""


class StoreError(StorydiffError):
    """The corpus store cannot be used."""


class StoreUnavailable(StoreError):
    """The database cannot be reached, or went away mid-work."""


class CorruptStore(StoreError):
    """The database file is damaged or is not a database."""


class ForeignDatabase(StoreError):
    """A database that storydiff did not create; refused rather than written into."""


class SchemaTooNew(StoreError):
    """The store's schema version is newer than this storydiff knows."""


class NotFound(StoreError):
    """No story or article with the given id."""


class BadSavedState(StoreError):
    """The clusterer state saved beside a store is cut short, damaged, of another format or names
    a class a clusterer is not made of (cluster/snapshot.py)."""
