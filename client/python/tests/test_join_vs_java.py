"""The Python point-in-time join against the Java one (bin/segue store join) on the same Java-written store and
the same generated entity rows, compared row for row."""

import os
import random

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.ipc as ipc
import pytest

import segue_store as ss
from conftest import segue

T0 = 1_700_000_000_000_000
HOUR = 3_600_000_000


def entity_rows(st, name, key_col, n, seed, absent):
    """Random entity rows: keys of the set plus absent ones; event times around the feature times, a tenth of
    them exactly equal to a feature row's event time."""
    r = random.Random(seed)
    feats = st.read_table(name, [key_col, "ts"])
    fk = feats.column(0).to_pylist()
    ft = pc.cast(feats.column(1), pa.int64()).to_pylist()
    keys, times = [], []
    for i in range(n):
        j = r.randrange(len(fk))
        if i % 10 == 0:
            keys.append(fk[j]); times.append(ft[j])
        else:
            keys.append(fk[j] if r.random() < 0.9 else absent(r)); times.append(T0 + r.randrange(-50, 2_100) * HOUR + r.choice([0, 1, -1]))
    return keys, times


def java_join(store, entities_file, features, out, *extra):
    p = segue("store", "join", "--store", store, "--entities", entities_file, "--features", features, "--out", out, *extra)
    assert p.returncode == 0, p.stderr
    return ipc.open_file(out).read_all()


def assert_same(java: pa.Table, py: pa.Table, columns):
    assert java.num_rows == py.num_rows
    for c in columns:
        j = java.column(c).to_pylist()
        p = py.column(c).to_pylist()
        bad = [i for i in range(len(j)) if j[i] != p[i]]
        assert not bad, f"{c}: {len(bad)} rows differ, first {bad[:5]}: java {[j[i] for i in bad[:5]]} python {[p[i] for i in bad[:5]]}"


@pytest.mark.parametrize("engine", ["numpy", "pyarrow"])
@pytest.mark.parametrize("ttl", [None, "30d", "7h"])
def test_integer_keys_match_java_row_for_row(fixture_store, tmp_path, ttl, engine):
    st = ss.open_store(fixture_store)
    keys, times = entity_rows(st, "users", "user", 3_000, 1, lambda r: r.randrange(1_000, 2_000))
    entities = pa.table({"user": pa.array(keys, pa.int64()), "event_timestamp": pa.array(times, pa.int64())})
    csv = str(tmp_path / "entities.csv")
    pacsv.write_csv(entities, csv)
    extra = ["--ttl", ttl] if ttl else []
    java = java_join(fixture_store, csv, "users:plays,users:device,users:v", str(tmp_path / "java.arrow"), *extra)
    py = st.get_historical_features(entities, ["users:plays", "users:device", "users:v"], ttl=ttl, engine=engine)
    assert java.column_names == ["user", "event_timestamp", "users__plays", "users__device", "users__v"]
    assert py.column_names == ["user", "event_timestamp", "users__plays", "users__device", "users__v"]
    assert java.column("user").to_pylist() == keys
    assert pc.cast(java.column("event_timestamp"), pa.int64()).to_pylist() == times
    assert_same(java, py, ["users__plays", "users__device", "users__v"])
    matched = py.column("users__v").null_count
    assert 0 < matched < py.num_rows  # some rows match, some do not


@pytest.mark.parametrize("engine", ["numpy", "pyarrow"])
def test_string_keys_from_arrow_entities_match_java(fixture_store, tmp_path, engine):
    st = ss.open_store(fixture_store)
    keys, times = entity_rows(st, "tracks", "track_uri", 2_000, 2, lambda r: f"spotify:track:none{r.randrange(99)}")
    keys[5] = "spotify:track:"  # a prefix of every key
    entities = pa.table({"track_uri": keys,
                         "event_timestamp": pa.array(times, pa.timestamp("us", tz="UTC"))})
    path = str(tmp_path / "entities.arrow")
    with ipc.new_file(path, entities.schema) as w:
        w.write_table(entities)
    java = java_join(fixture_store, path, "tracks:genre,tracks:score", str(tmp_path / "java.arrow"), "--ttl", "P10D")
    py = st.get_historical_features(entities, {"tracks": ["genre", "score"]}, ttl="P10D", engine=engine)
    assert java.column("track_uri").to_pylist() == keys
    assert_same(java, py, ["tracks__genre", "tracks__score"])
    assert 0 < py.column("tracks__score").null_count < py.num_rows


def test_pandas_in_pandas_out(fixture_store):
    pd = pytest.importorskip("pandas")
    st = ss.open_store(fixture_store)
    df = pd.DataFrame({"user": [1, 2, 10_000], "event_timestamp": pd.to_datetime([T0 * 1000 + 10**18] * 3, utc=True),
                       "label": [1, 0, 1]})
    out = st.get_historical_features(df, ["users:plays"])
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["user", "event_timestamp", "label", "users__plays"]
    assert pd.isna(out["users__plays"][2])


def test_join_bad_input(fixture_store):
    st = ss.open_store(fixture_store)
    e = pa.table({"user": [1], "event_timestamp": pa.array([T0], pa.int64())})
    with pytest.raises(ss.UnknownColumnError, match="feature set 'users' has no column 'nope'"):
        st.get_historical_features(e, ["users:nope"])
    with pytest.raises(ss.FeatureSetNotFoundError, match="feature set 'nope' does not exist"):
        st.get_historical_features(e, ["nope:x"])
    with pytest.raises(ss.UnknownColumnError, match="entities: no column 'when'"):
        st.get_historical_features(e, ["users:plays"], event_timestamp="when")
    with pytest.raises(ss.StoreError, match="'tracks' is keyed by utf8 'track_uri', but the entity keys are integers"):
        st.get_historical_features(e.rename_columns(["track_uri", "event_timestamp"]), ["tracks:genre"])
    with pytest.raises(ss.StoreError, match="'items' has no event timestamp"):
        st.get_historical_features(e.rename_columns(["item", "event_timestamp"]), ["items:name"])
    with pytest.raises(ValueError, match="ttl: 'soon'"):
        st.get_historical_features(e, ["users:plays"], ttl="soon")
    with pytest.raises(ValueError, match="'users' is not SET:COLUMN"):
        st.get_historical_features(e, ["users"])
    with pytest.raises(ss.StoreError, match="null event time"):
        st.get_historical_features(pa.table({"user": [1], "event_timestamp": pa.array([None], pa.int64())}), ["users:plays"])


def test_java_gc_honours_python_lease(store_copy):
    st = ss.open_store(store_copy)
    fs = st.open("users", "v000001")
    p = segue("store", "gc", "users", "--keep", "1", "--store", store_copy)
    assert p.returncode == 0, p.stderr
    assert "in-use v000001" in p.stdout, p.stdout
    assert fs.read(["user"]).num_rows == 500  # still readable
    fs.close()
    p = segue("store", "gc", "users", "--keep", "1", "--store", store_copy)
    assert p.returncode == 0 and "removed v000001" in p.stdout, p.stdout + p.stderr
    assert [m["version"] for m in st.history("users")] == ["v000002"]


def test_java_gc_removes_a_dead_python_readers_lease(store_copy):
    dead = os.path.join(store_copy, "users", "_leases", "v000001")
    os.makedirs(dead, exist_ok=True)  # a reader may have left the (empty) lease folder
    open(os.path.join(dead, "2147483646-00000000-0000-0000-0000-000000000000"), "w").close()  # no such process
    p = segue("store", "gc", "users", "--keep", "1", "--store", store_copy)
    assert p.returncode == 0 and "removed v000001" in p.stdout, p.stdout + p.stderr
