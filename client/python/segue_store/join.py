"""Point-in-time join, vectorised with pyarrow compute (no Python loop over rows).

Per feature set it is the as-of merge the Java ``PointInTimeJoin`` performs, written as one stable sort: the
set's key index (already sorted by key, event time, created time, row) and the entity rows are concatenated and
sorted by (key, time, side) with feature rows before entity rows on ties, so an entity row's candidate is the
last feature row before it -- a running maximum of feature positions. The candidate matches when its key equals
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


def _arange(n: int) -> pa.Array:
    """0, 1, ..., n-1 as int64, built in C (no Python loop)."""
    return pc.subtract(pc.cumulative_sum(pa.repeat(pa.scalar(1, pa.int64()), n)), 1)


def asof_rows(index: fmt.KeyIndex, keys: pa.Array, micros: pa.Array, ttl_us: Optional[int]) -> pa.Array:
    """Global feature row (int64, null = no match) for each entity (key, event micros), in entity order.
    ``keys`` is int64 (for utf8 sets: ranks in the set's key dictionary, -1 for absent keys); nulls never match."""
    ne = len(keys)
    nf = index.rows_count
    if ne == 0:
        return pa.array([], pa.int64())
    if nf == 0:
        return pa.nulls(ne, pa.int64())
    key_valid = pc.is_valid(keys)
    k = pa.concat_arrays([index.keys, pc.fill_null(keys, 0)])
    t = pa.concat_arrays([index.ts, micros])
    side = pa.concat_arrays([pa.repeat(pa.scalar(0, pa.int8()), nf), pa.repeat(pa.scalar(1, pa.int8()), ne)])
    pos = pa.concat_arrays([_arange(nf), _arange(ne)])
    order = pc.sort_indices(pa.table({"k": k, "t": t, "s": side}),
                            sort_keys=[("k", "ascending"), ("t", "ascending"), ("s", "ascending")])
    s_side = pc.take(side, order)
    s_pos = pc.take(pos, order)
    is_entity = pc.equal(s_side, 1)
    last_feature = pc.cumulative_max(pc.if_else(is_entity, -1, s_pos))
    cand = pc.filter(last_feature, is_entity)
    entity_row = pc.filter(s_pos, is_entity)
    ek = pc.filter(pc.take(k, order), is_entity)
    et = pc.filter(pc.take(t, order), is_entity)
    safe = pc.max_element_wise(cand, 0)
    hit = pc.and_(pc.greater_equal(cand, 0), pc.equal(pc.take(index.keys, safe), ek))
    if ttl_us is not None:
        hit = pc.and_(hit, pc.greater(pc.take(index.ts, safe), pc.subtract(et, ttl_us)))
    matched = pc.if_else(hit, pc.take(index.rows, safe).cast(pa.int64()), pa.scalar(None, pa.int64()))
    in_order = pc.take(matched, pc.inverse_permutation(entity_row))
    return pc.if_else(key_valid, in_order, pa.scalar(None, pa.int64()))


def _plain(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """Categorical (dictionary) columns as plain strings, as the Java join writes them."""
    if pa.types.is_dictionary(col.type):
        return pc.cast(col, col.type.value_type)
    return col


def historical_features(store, entities, features, ttl, entity_key: Optional[str], event_timestamp: str,
                        verify: bool):
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
            rows = asof_rows(index, keys, micros, ttl_us)
            for c in cols:
                name = f"{fs.name}__{c}"
                if name in out.column_names:
                    raise ValueError(f"features: {fs.name}:{c} is asked for twice (or the entities have a column {name})")
                out = out.append_column(name, _plain(table.column(c)).take(rows))
    finally:
        for fs in versions:
            fs.close()
    return out.to_pandas() if as_pandas else out
