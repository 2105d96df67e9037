"""Read-only access to a Segue feature store from Python (see featurestore/FORMAT.md)."""

from __future__ import annotations

import os
import re
import weakref
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Iterable, Mapping, Optional, Sequence, Union

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc

from . import _format as fmt
from .errors import StoreError, StoreNotFoundError, UnknownColumnError

_SIMPLE_TTL = re.compile(r"(\d+)([dhms])\Z")
_ISO_TTL = re.compile(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,6})?)S)?)?\Z")


def open_store(root: "str | os.PathLike[str]") -> "Store":
    """Opens an existing store folder (never creates one)."""
    return Store(root)


class Store:
    """A store root folder. Cheap; holds no files open. Every read takes a lease while it runs."""

    def __init__(self, root: "str | os.PathLike[str]"):
        self.root = os.path.abspath(os.fspath(root))
        if not os.path.isdir(self.root):
            raise StoreNotFoundError(f"no store at {self.root}", self.root)

    def __repr__(self) -> str:
        return f"Store({self.root!r})"

    # ---- catalog ----

    def list(self) -> list[str]:
        """Names of feature sets with at least one committed version, sorted."""
        out = []
        for n in sorted(os.listdir(self.root)):
            if fmt.NAME_RE.match(n) and os.path.isdir(os.path.join(self.root, n)) and fmt.committed_versions(self.root, n):
                out.append(n)
        return out

    def resolve(self, name: str, version: Optional[str] = None, as_of=None) -> str:
        """The version id that ``version`` ("latest", v000003, 3) or ``as_of`` (datetime / ISO instant) means."""
        return fmt.resolve_version(self.root, name, version, as_of)

    def describe(self, name: str, version: Optional[str] = None, as_of=None) -> dict:
        """The manifest (a dict with the fields FORMAT.md lists) of one version, latest by default."""
        return fmt.read_manifest(self.root, name, self.resolve(name, version, as_of))

    def history(self, name: str) -> list[dict]:
        """Manifests of every committed version, oldest first."""
        versions = fmt.committed_versions(self.root, name)
        if not versions:
            raise fmt.FeatureSetNotFoundError(f"feature set '{name}' does not exist in {self.root}",
                                              os.path.join(self.root, name))
        return [fmt.read_manifest(self.root, name, v) for v in versions]

    # ---- reading ----

    def open(self, name: str, version: Optional[str] = None, as_of=None, verify: bool = True) -> "FeatureSetVersion":
        """Opens a version for reading (a context manager holding a read lease until closed)."""
        return FeatureSetVersion(self, name, self.resolve(name, version, as_of), verify)

    def read_table(self, name: str, columns: Optional[Sequence[str]] = None, version: Optional[str] = None,
                   as_of=None, verify: bool = True) -> pa.Table:
        """A whole version (or the given columns) as a pyarrow Table, rows in stored (global row) order."""
        with self.open(name, version, as_of, verify) as fs:
            return fs.read(columns)

    def read_pandas(self, name: str, columns: Optional[Sequence[str]] = None, version: Optional[str] = None,
                    as_of=None, verify: bool = True):
        """Like :meth:`read_table`, as a pandas DataFrame (needs pandas)."""
        return self.read_table(name, columns, version, as_of, verify).to_pandas()

    def lookup(self, name: str, keys, columns: Optional[Sequence[str]] = None, version: Optional[str] = None,
               as_of=None, verify: bool = True) -> pa.Table:
        """The latest row of each key (one output row per key, nulls for absent keys)."""
        with self.open(name, version, as_of, verify) as fs:
            return fs.lookup(keys, columns)

    def get_historical_features(self, entities, features: Union[Sequence[str], Mapping[str, Sequence[str]]],
                                ttl=None, *, entity_key: Optional[str] = None,
                                event_timestamp: str = "event_timestamp", verify: bool = True,
                                engine: Optional[str] = None):
        """Point-in-time join, the semantics of the Java ``PointInTimeJoin`` and ``segue store join``.

        For each entity row (key, event time) and feature set: the latest feature row of that key with
        ``ts <= event time`` and, with a ttl, ``ts > event time - ttl``; ties on ts go to the latest created
        timestamp, else the row written last. ``entities``: pyarrow Table or pandas DataFrame with the key column
        (int or string; default name: the first feature set's entity key) and ``event_timestamp`` (a timestamp,
        or int64 micros since the epoch). ``features``: ["SET:COLUMN", ...] or {SET: [COLUMN, ...]} (latest
        versions). ``ttl``: None (unbounded), a timedelta, or "30d" / "12h" / "15m" / "90s" / "P30D" / "PT12H".
        Returns the entity columns followed by one ``SET__COLUMN`` per feature, in entity order (a DataFrame
        when a DataFrame came in). ``engine``: "numpy" or "pyarrow" for the matching step (default: numpy when
        installed); both give the same rows.
        """
        from .join import historical_features
        return historical_features(self, entities, features, ttl, entity_key, event_timestamp, verify, engine)


class FeatureSetVersion:
    """One open, immutable version. Holds a read lease (``segue store gc`` keeps the version) until closed."""

    def __init__(self, store: Store, name: str, version: str, verify: bool = True):
        self.store = store
        self.name = name
        self.version = version
        self.verify = verify
        self.dir = os.path.join(store.root, name, fmt.VERSIONS, version)
        self.manifest = fmt.read_manifest(store.root, name, version)
        self._lease = fmt.Lease(store.root, name, version)
        self._finalizer = weakref.finalize(self, self._lease.release)
        try:
            self._what = f"feature set '{name}' {version}"
            for entry in self.manifest["files"] + [self.manifest["keyIndex"]]:
                fmt.check_size(os.path.join(self.dir, entry["path"]), entry, self._what)
        except BaseException:
            self.close()
            raise
        self._index: Optional[fmt.KeyIndex] = None

    def __enter__(self) -> "FeatureSetVersion":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._finalizer()

    @property
    def lease_path(self) -> str:
        return self._lease.path

    @property
    def columns(self) -> list[str]:
        return [c["name"] for c in self.manifest["schema"]["columns"]]

    @property
    def entity_key(self) -> str:
        return self.manifest["entityKey"]

    @property
    def event_timestamp(self) -> Optional[str]:
        return self.manifest.get("eventTimestamp")

    @property
    def num_rows(self) -> int:
        return int(self.manifest["rowCount"])

    def _check_columns(self, columns: Optional[Iterable[str]]) -> list[str]:
        have = self.columns
        if columns is None:
            return have
        columns = list(columns)
        for c in columns:
            if c not in have:
                raise UnknownColumnError(f"feature set '{self.name}' has no column '{c}' (columns: {have})",
                                         os.path.join(self.dir, fmt.MANIFEST))
        return columns

    def read(self, columns: Optional[Sequence[str]] = None) -> pa.Table:
        """The version (or the given columns, in the given order) as a pyarrow Table in global row order."""
        cols = self._check_columns(columns)
        if not self.manifest["files"]:
            return pa.table({c: pa.array([], pa.null()) for c in cols})
        order = {c: i for i, c in enumerate(self.columns)}
        wanted = sorted(order[c] for c in cols)

        def part(entry: dict) -> pa.Table:
            path = os.path.join(self.dir, entry["path"])
            buf = fmt.read_file(path, entry, self._what, self.verify)
            try:
                reader = ipc.open_file(pa.BufferReader(buf), options=ipc.IpcReadOptions(included_fields=wanted))
                t = reader.read_all()
            except pa.ArrowInvalid as e:
                raise fmt.CorruptionError(f"{self._what}: file {path} is not a readable Arrow IPC file: {e}", path) from None
            if t.num_rows != entry["rows"]:
                raise fmt.CorruptionError(f"{self._what}: file {path} has {t.num_rows} rows, manifest says {entry['rows']}",
                                          path)
            return t

        files = self.manifest["files"]
        if len(files) == 1:
            tables = [part(files[0])]
        else:
            with ThreadPoolExecutor(max_workers=min(len(files), os.cpu_count() or 2)) as ex:
                tables = list(ex.map(part, files))
        t = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
        return t.select(cols)

    def to_pandas(self, columns: Optional[Sequence[str]] = None):
        return self.read(columns).to_pandas()

    def key_index(self) -> fmt.KeyIndex:
        """The loaded key index (CRC-checked when the version was opened with verify=True)."""
        if self._index is None:
            entry = self.manifest["keyIndex"]
            path = os.path.join(self.dir, entry["path"])
            buf = fmt.read_file(path, entry, self._what, self.verify)
            self._index = fmt.parse_key_index(path, buf, self.num_rows)
        return self._index

    def latest_rows(self) -> tuple[pa.Array, pa.Array]:
        """(key values, global row) of each key's latest row, one entry per distinct key in key-index order."""
        idx = self.key_index()
        n = idx.rows_count
        if n == 0:
            return pa.array([], pa.int64()), pa.array([], pa.int64())
        last = pc.indices_nonzero(pc.not_equal(idx.keys.slice(0, n - 1), idx.keys.slice(1)))
        last = pa.concat_arrays([last.cast(pa.int64()), pa.array([n - 1], pa.int64())])
        rows = pc.take(idx.rows, last).cast(pa.int64())
        keys = self.read([self.entity_key]).column(0).combine_chunks()
        if pa.types.is_dictionary(keys.type):
            keys = keys.dictionary_decode()
        return pc.take(keys, rows), rows

    def lookup(self, keys, columns: Optional[Sequence[str]] = None) -> pa.Table:
        """The latest row of each key (nulls for absent keys), one output row per key, in the given order."""
        cols = self._check_columns(columns)
        key_values, rows = self.latest_rows()
        probe = pa.array(keys) if not isinstance(keys, (pa.Array, pa.ChunkedArray)) else keys
        if pa.types.is_integer(key_values.type) and pa.types.is_integer(probe.type):
            probe = probe.cast(pa.int64())
            key_values = key_values.cast(pa.int64())
        elif pa.types.is_string(key_values.type) != (pa.types.is_string(probe.type) or pa.types.is_large_string(probe.type)):
            raise StoreError(f"feature set '{self.name}' is keyed by {key_values.type} '{self.entity_key}', "
                             f"the lookup keys are {probe.type}", self.dir)
        pos = pc.index_in(probe, value_set=key_values)
        global_rows = pc.take(rows, pos)
        return self.read(cols).take(global_rows)

    def __repr__(self) -> str:
        return f"FeatureSetVersion({self.name!r}, {self.version!r}, rows={self.num_rows})"


def parse_ttl(ttl) -> Optional[int]:
    """A ttl in microseconds (None = unbounded); accepts timedelta, "30d"/"12h"/"15m"/"90s" and ISO "P30DT12H"."""
    if ttl is None:
        return None
    if isinstance(ttl, timedelta):
        us = (ttl.days * 86_400 + ttl.seconds) * 1_000_000 + ttl.microseconds
    elif isinstance(ttl, str):
        s = ttl.strip()
        m = _SIMPLE_TTL.match(s.lower())
        if m:
            us = int(m.group(1)) * {"d": 86_400, "h": 3_600, "m": 60, "s": 1}[m.group(2)] * 1_000_000
        else:
            m = _ISO_TTL.match(s.upper())
            if not m or s.upper() in ("P", "PT") or s.upper().endswith("T"):
                raise ValueError(f"ttl: '{ttl}' is not a duration like 30d, 12h, 15m, 90s or PT12H")
            d, h, mi, sec = m.groups()
            us = ((int(d or 0) * 24 + int(h or 0)) * 60 + int(mi or 0)) * 60_000_000 + round(float(sec or 0) * 1e6)
    else:
        raise TypeError(f"ttl must be None, a timedelta or a string, got {type(ttl).__name__}")
    if us <= 0:
        raise ValueError(f"ttl must be positive, got {ttl!r}")
    return us
