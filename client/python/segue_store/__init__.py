"""segue_store: read a Segue feature store (featurestore/FORMAT.md) from Python with pyarrow.

    import segue_store
    store = segue_store.open_store("demo-work/store")
    store.list(); store.history("track_stats"); store.describe("track_factors")
    t = store.read_table("track_factors", columns=["track_id", "factors"])          # pyarrow.Table
    training = store.get_historical_features(entities, ["user_churn_features:days_since_last_P"], ttl="30d")

Reads only: the one file it ever creates is a read lease (ROOT/NAME/_leases/VERSION/PID-UUID) that keeps
``segue store gc`` away from a version while it is read. Checksums (CRC32C) are verified on every read.
"""

from ._format import FORMAT_VERSION, KeyIndex
from .errors import (
    ChecksumMismatchError,
    CorruptionError,
    FeatureSetNotFoundError,
    FormatVersionError,
    MissingFileError,
    StoreError,
    StoreNotFoundError,
    UnknownColumnError,
    VersionNotFoundError,
)
from .store import FeatureSetVersion, Store, open_store, parse_ttl

__version__ = "0.1.0"

__all__ = [
    "FORMAT_VERSION", "KeyIndex", "Store", "FeatureSetVersion", "open_store", "parse_ttl",
    "StoreError", "StoreNotFoundError", "FeatureSetNotFoundError", "VersionNotFoundError", "UnknownColumnError",
    "CorruptionError", "MissingFileError", "ChecksumMismatchError", "FormatVersionError",
]
