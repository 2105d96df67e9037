"""Exceptions of segue_store. Each names the path (or value) at fault in its message and in ``.path``.

They mirror the Java store's errors: ``StoreError`` is ``dev.segue.store.StoreException``, ``CorruptionError``
is ``CorruptionException`` (a missing, truncated or corrupt file of a committed version).
"""

from __future__ import annotations

import os


class StoreError(Exception):
    """Base class: something about the store or the request is wrong. ``path`` is the file or folder at fault."""

    def __init__(self, message: str, path: "str | os.PathLike[str] | None" = None):
        super().__init__(message)
        self.path = None if path is None else os.fspath(path)


class StoreNotFoundError(StoreError, FileNotFoundError):
    """The store root folder does not exist."""


class FeatureSetNotFoundError(StoreError, LookupError):
    """The store has no committed version of this feature set."""


class VersionNotFoundError(StoreError, LookupError):
    """The feature set has no such version, or none committed at the asked time."""


class UnknownColumnError(StoreError, KeyError):
    """A column the feature set (or the entity table) does not have."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return self.args[0]


class CorruptionError(StoreError):
    """A file of a committed version is missing, truncated or corrupt."""


class MissingFileError(CorruptionError, FileNotFoundError):
    """A torn version: the manifest lists a file that is not there."""


class ChecksumMismatchError(CorruptionError):
    """A file's CRC32C (or size) differs from the one recorded in the manifest."""


class FormatVersionError(StoreError):
    """The manifest was written in a newer store format than this package reads."""
