"""Point-in-time join, vectorised with pyarrow compute (no Python loop over rows).

Per feature set it is the as-of merge the Java ``PointInTimeJoin`` performs, written as one stable sort: the
set's key index (already sorted by key, event time, created time, row) and the entity rows are concatenated,
feature rows first, and stably sorted by (key, time), so an entity row's candidate is the last feature row
before it -- a running maximum of feature positions. The candidate matches when its key equals
the entity key and, with a ttl, its time is after ``event time - ttl``.
"""

from __future__ import annotations

import os
from typing import Mapping, Optional, Sequence, Union

import pyarrow as pa
import pyarrow.compute as pc

from . import _format as fmt
from .errors import StoreError, UnknownColumnError


def parse_features(features: Union[Sequence[str], Mapping[str, Sequence[str]]]) -> dict[str, list[str]]:
    if isinstance(features, Mapping):
        out = {k: list(v) for k, v in features.items()}
    else:
        if isinstance(features, str):
            features = features.split(",")
        out: dict[str, list[str]] = {}
        for item in features:
            it = item.strip()
            s, sep, c = it.partition(":")
            if not sep or not s or not c or ":" in c:
                raise ValueError(f"features: '{item}' is not SET:COLUMN")
            out.setdefault(s, []).append(c)
    if not out or any(not v for v in out.values()):
        raise ValueError("features: name at least one SET:COLUMN")
    return out


def _event_micros(entities: pa.Table, column: str) -> pa.Array:
    col = entities.column(column).combine_chunks()
    if col.null_count:
        raise StoreError(f"entities: column '{column}' has {col.null_count} null event time(s)", column)
    if pa.types.is_timestamp(col.type):
        unit = col.type.unit
        raw = col.cast(pa.int64())
        if unit == "us":
            return raw
        if unit == "ns":  # floor division, as Java's Math.floorDiv
            q = pc.divide(raw, 1000)
            return pc.if_else(pc.less(pc.subtract(raw, pc.multiply(q, 1000)), 0), pc.subtract(q, 1), q)
        return pc.multiply_checked(raw, {"s": 1_000_000, "ms": 1_000}[unit])
    if pa.types.is_integer(col.type):
        return col.cast(pa.int64())
    raise StoreError(f"entities: column '{column}' is {col.type}; expected a timestamp or int64 micros", column)


def _numpy():
    try:
        import numpy
        return numpy
    except ImportError:  # pragma: no cover - numpy is optional
        return None


def asof_rows(index: fmt.KeyIndex, keys: pa.Array, micros: pa.Array, ttl_us: Optional[int],
              engine: Optional[str] = None) -> pa.Array:
    """Global feature row (int64, null = no match) for each entity (key, event micros), in entity order.
    ``keys`` is int64 (for utf8 sets: ranks in the set's key dictionary, -1 for absent keys); nulls never match.
    ``engine``: "numpy" (binary searches, about twice as fast), "pyarrow" (one sort), or None: numpy when it is
    installed. Both give the same rows."""
    ne = len(keys)
    nf = index.rows_count
    if ne == 0:
        return pa.array([], pa.int64())
    if nf == 0:
        return pa.nulls(ne, pa.int64())
    if engine not in (None, "numpy", "pyarrow"):
        raise ValueError(f"engine must be numpy or pyarrow, got {engine!r}")
    np = _numpy() if engine != "pyarrow" else None
    if engine == "numpy" and np is None:
        raise ImportError("engine='numpy' needs numpy (pip install numpy)")
    if np is not None:
        return _asof_rows_numpy(np, index, keys, micros, ttl_us)
    key_valid = pc.is_valid(keys)
    k = pa.concat_arrays([index.keys, pc.fill_null(keys, 0)])
    t = pa.concat_arrays([index.ts, micros])
    # sort_indices is stable and the feature rows come first, so on equal (key, time) feature rows stay before
    # entity rows (ts <= t is inclusive) and in index order (created time, then row) among themselves. A sorted
    # position below nf is index entry `order`, at or above it entity row `order - nf`.
    order = pc.sort_indices(pa.table({"k": k, "t": t}), sort_keys=[("k", "ascending"), ("t", "ascending")]).cast(pa.int64())
    is_entity = pc.greater_equal(order, nf)
    last_feature = pc.cumulative_max(pc.if_else(is_entity, -1, order))
    cand = pc.filter(last_feature, is_entity)
    entity_order = pc.filter(order, is_entity)
    entity_row = pc.subtract(entity_order, nf)
    ek = pc.take(k, entity_order)
    et = pc.take(t, entity_order)
    safe = pc.max_element_wise(cand, 0)
    hit = pc.and_(pc.greater_equal(cand, 0), pc.equal(pc.take(index.keys, safe), ek))
    if ttl_us is not None:
        hit = pc.and_(hit, pc.greater(pc.take(index.ts, safe), pc.subtract(et, ttl_us)))
    matched = pc.if_else(hit, pc.take(index.rows, safe).cast(pa.int64()), pa.scalar(None, pa.int64()))
    in_order = pc.take(matched, pc.inverse_permutation(entity_row))
    return pc.if_else(key_valid, in_order, pa.scalar(None, pa.int64()))


def _asof_rows_numpy(np, index: fmt.KeyIndex, keys: pa.Array, micros: pa.Array, ttl_us: Optional[int]) -> pa.Array:
    """The same as-of rule with vectorised binary searches: entity rows sorted by key, each key's run in
    the index found by searchsorted, then the last entry with ts <= t inside the run by a bisection that moves
    all entity rows one step at a time (as many steps as the longest run has bits, not a loop over rows)."""
    fk = index.keys.to_numpy()
    ft = index.ts.to_numpy()
    fr = index.rows.to_numpy()
    n = len(fk)
    valid = pc.is_valid(keys).to_numpy(zero_copy_only=False)
    k = pc.fill_null(keys, 0).to_numpy(zero_copy_only=False)
    t = micros.to_numpy(zero_copy_only=False)
    order = np.argsort(k)  # by key only (10x cheaper than by key and time): the searches then walk the index in order
    ks = k[order]
    ts = t[order]
    lo = np.searchsorted(fk, ks, "left")
    a = lo
    b = np.searchsorted(fk, ks, "right")
    while True:
        active = a < b
        if not active.any():
            break
        m = (a + b) >> 1
        le = ft[np.minimum(m, n - 1)] <= ts
        a = np.where(active & le, m + 1, a)
        b = np.where(active & ~le, m, b)
    cand = a - 1  # last entry of the key's run with ts <= t; below lo when there is none
    safe = np.maximum(cand, 0)
    hit = cand >= lo
    if ttl_us is not None:
        hit &= ft[safe] > ts - ttl_us
    rows = np.empty(len(k), np.int64)
    rows[order] = np.where(hit, fr[safe], -1)
    return pa.array(rows, mask=(rows < 0) | ~valid)


def _plain(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """Categorical (dictionary) columns as plain strings, as the Java join writes them."""
    if pa.types.is_dictionary(col.type):
        return pc.cast(col, col.type.value_type)
    return col


def historical_features(store, entities, features, ttl, entity_key: Optional[str], event_timestamp: str,
                        verify: bool, engine: Optional[str] = None):
    from .store import parse_ttl
    wanted = parse_features(features)
    ttl_us = parse_ttl(ttl)
    as_pandas = False
    if not isinstance(entities, pa.Table):
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - pandas optional
            pd = None
        if pd is not None and isinstance(entities, pd.DataFrame):
            entities = pa.Table.from_pandas(entities, preserve_index=False)
            as_pandas = True
        else:
            raise TypeError(f"entities must be a pyarrow Table or pandas DataFrame, got {type(entities).__name__}")
    versions = []
    try:
        for name, cols in wanted.items():
            fs = store.open(name, verify=verify)
            versions.append(fs)
            fs._check_columns(cols)
            if not fs.event_timestamp:
                raise StoreError(f"feature set '{name}' has no event timestamp; point-in-time joins need one", fs.dir)
        key = entity_key or versions[0].entity_key
        for c in (key, event_timestamp):
            if c not in entities.column_names:
                raise UnknownColumnError(f"entities: no column '{c}' (columns: {entities.column_names})", c)
        micros = _event_micros(entities, event_timestamp)
        raw_keys = entities.column(key).combine_chunks()
        if pa.types.is_dictionary(raw_keys.type):
            raw_keys = raw_keys.dictionary_decode()
        string_keys = pa.types.is_string(raw_keys.type) or pa.types.is_large_string(raw_keys.type)
        if not string_keys and not pa.types.is_integer(raw_keys.type):
            raise StoreError(f"entities: key column '{key}' is {raw_keys.type}; expected integers or strings", key)
        out = entities
        for fs in versions:
            cols = wanted[fs.name]
            index = fs.key_index()
            utf8_set = index.key_type == "UTF8"
            if utf8_set != string_keys:
                raise StoreError(f"feature set '{fs.name}' is keyed by {'utf8' if utf8_set else 'integer'} "
                                 f"'{fs.entity_key}', but the entity keys are {'strings' if string_keys else 'integers'}",
                                 fs.dir)
            table = fs.read(list(dict.fromkeys([fs.entity_key] + cols)))
            if utf8_set:
                # rank r of the set's sorted key dictionary is the key of the r-th run of the index
                n = index.rows_count
                starts = pc.indices_nonzero(pc.not_equal(index.keys.slice(1), index.keys.slice(0, max(n - 1, 0))))
                starts = pa.concat_arrays([pa.array([0], pa.uint64()), pc.add(starts, 1).cast(pa.uint64())]) if n else starts
                dictionary = pc.take(_plain(table.column(fs.entity_key)), pc.take(index.rows, starts))
                keys = pc.index_in(raw_keys, value_set=dictionary.combine_chunks()).cast(pa.int64())
                keys = pc.if_else(pc.is_valid(raw_keys), pc.fill_null(keys, -1), pa.scalar(None, pa.int64()))
            else:
                keys = raw_keys.cast(pa.int64())
            rows = asof_rows(index, keys, micros, ttl_us, engine)
            for c in cols:
                name = f"{fs.name}__{c}"
                if name in out.column_names:
                    raise ValueError(f"features: {fs.name}:{c} is asked for twice (or the entities have a column {name})")
                out = out.append_column(name, _plain(table.column(c)).take(rows))
    finally:
        for fs in versions:
            fs.close()
    return out.to_pandas() if as_pandas else out
