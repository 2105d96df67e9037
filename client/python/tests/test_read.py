import os

import pyarrow as pa
import pyarrow.compute as pc
import pytest

import segue_store as ss


def files_outside_leases(root):
    out = set()
    for d, dirs, files in os.walk(root):
        if "_leases" in os.path.relpath(d, root).split(os.sep):
            continue
        for f in files:
            p = os.path.join(d, f)
            out.add((os.path.relpath(p, root), os.path.getsize(p), os.path.getmtime(p)))
    return out


def lease_files(root):
    return [os.path.join(d, f) for d, _, fs in os.walk(root) if "_leases" in d for f in fs]


def test_catalog(fixture_store):
    st = ss.open_store(fixture_store)
    assert st.list() == ["items", "runs", "runs_partial", "tracks", "users"]
    hist = st.history("users")
    assert [m["version"] for m in hist] == ["v000001", "v000002"]
    assert [m["rowCount"] for m in hist] == [500, 3000]
    assert hist[1]["parent"] == "v000001"
    m = st.describe("users")
    assert m["formatVersion"] == ss.FORMAT_VERSION
    assert m["version"] == "v000002" and m["entityKey"] == "user" and m["eventTimestamp"] == "ts"
    assert st.describe("users", "1")["version"] == st.describe("users", "v000001")["version"] == "v000001"


def test_as_of_resolves_by_commit_time(fixture_store):
    st = ss.open_store(fixture_store)
    v1, v2 = st.history("users")
    assert st.resolve("users", as_of=v1["createdAt"]) == "v000001"
    assert st.resolve("users", as_of=v2["createdAt"]) == "v000002"
    assert st.read_table("users", ["user"], as_of=v1["createdAt"]).num_rows == 500
    with pytest.raises(ss.VersionNotFoundError) as e:
        st.resolve("users", as_of="2000-01-01T00:00:00Z")
    assert "had no version at 2000-01-01T00:00:00Z" in str(e.value)


def test_read_columns_in_requested_order_and_types(fixture_store):
    st = ss.open_store(fixture_store)
    t = st.read_table("users", columns=["v", "user"])
    assert t.column_names == ["v", "user"]
    assert t.num_rows == 3000
    assert t.schema.field("v").type == pa.list_(pa.field("item", pa.float32(), nullable=False), 4)
    full = st.read_table("users")
    assert full.column_names == ["user", "ts", "created", "plays", "device", "v"]
    assert full.schema.field("ts").type == pa.timestamp("us", tz="UTC")
    assert pa.types.is_dictionary(full.schema.field("device").type)
    assert full.schema.metadata[b"segue.entity_key"] == b"user"
    assert full.schema.field("user").metadata[b"segue.role"] == b"entity_key"
    assert full.column("plays").null_count == len(range(0, 3000, 13))  # the writer nulls every 13th row
    # row i is global row i: the writer wrote plays = i
    plays = full.column("plays").to_pylist()
    assert all(p is None or p == i for i, p in enumerate(plays))
    df = st.read_pandas("items", ["item", "price"])
    assert list(df.columns) == ["item", "price"] and len(df) == 1000


def test_lookup_latest_row_per_key(fixture_store):
    st = ss.open_store(fixture_store)
    users = st.read_table("users", ["user", "ts", "created"]).to_pylist()
    latest = {}
    for i, r in enumerate(users):  # reference: latest (ts, created, row) per key
        k = (r["ts"], r["created"], i)
        if r["user"] not in latest or k > latest[r["user"]]:
            latest[r["user"]] = k
    probe = [-50, 0, 7, 123, 399, 10_000]
    got = st.lookup("users", probe, ["user", "plays"])
    assert got.num_rows == len(probe)
    plays = st.read_table("users", ["plays"]).column(0).to_pylist()
    for p, row in zip(probe, got.to_pylist()):
        if p in latest:
            assert row["user"] == p and row["plays"] == plays[latest[p][2]]
        else:
            assert row == {"user": None, "plays": None}
    items = st.lookup("items", pa.array([999, 0, 5000], pa.int32()), ["name"]).column(0).to_pylist()
    assert items == ["item 999", "item 0", None]
    uris = sorted(set(st.read_table("tracks", ["track_uri"]).column(0).to_pylist()))
    some = [u for u in uris if "é" in u][:1] + uris[:2]
    assert some[0].startswith("spotify:track:é")
    tracks = st.lookup("tracks", some + ["nope"], ["track_uri"]).column(0).to_pylist()
    assert tracks == some + [None]


def test_reads_take_a_lease_and_write_nothing_else(fixture_store):
    st = ss.open_store(fixture_store)
    before = files_outside_leases(fixture_store)
    with st.open("users", "v000001") as fs:
        assert os.path.exists(fs.lease_path)
        assert fs.lease_path.startswith(os.path.join(fixture_store, "users", "_leases", "v000001", f"{os.getpid()}-"))
        fs.read()
        fs.key_index()
    assert not os.path.exists(fs.lease_path)
    st.read_table("tracks")
    st.lookup("items", [1])
    st.get_historical_features(pa.table({"user": [1], "event_timestamp": pa.array([1], pa.int64())}), ["users:plays"])
    assert files_outside_leases(fixture_store) == before
    assert lease_files(fixture_store) == []


def test_missing_store(tmp_path):
    with pytest.raises(ss.StoreNotFoundError) as e:
        ss.open_store(tmp_path / "nope")
    assert e.value.path == str(tmp_path / "nope") and str(tmp_path / "nope") in str(e.value)


def test_missing_set_and_version(fixture_store):
    st = ss.open_store(fixture_store)
    with pytest.raises(ss.FeatureSetNotFoundError) as e:
        st.read_table("nope")
    assert "feature set 'nope' does not exist in " + fixture_store in str(e.value)
    with pytest.raises(ss.VersionNotFoundError) as e:
        st.read_table("users", version="v000009")
    assert "has no version v000009" in str(e.value) and e.value.path.endswith(os.path.join("users", "versions", "v000009"))


def test_unknown_column(fixture_store):
    st = ss.open_store(fixture_store)
    with pytest.raises(ss.UnknownColumnError) as e:
        st.read_table("users", ["user", "nope"])
    assert "feature set 'users' has no column 'nope'" in str(e.value)
    assert e.value.path.endswith(os.path.join("users", "versions", "v000002", "manifest.json"))


def test_torn_version_missing_part(store_copy):
    part = os.path.join(store_copy, "users", "versions", "v000002", "part-00003.arrow")
    os.remove(part)
    st = ss.open_store(store_copy)
    with pytest.raises(ss.MissingFileError) as e:
        st.read_table("users", ["user"])
    assert e.value.path == part and f"file {part} is missing (listed in the manifest)" in str(e.value)
    assert st.read_table("users", ["user"], version="1").num_rows == 500  # other versions are fine
    assert os.listdir(os.path.join(store_copy, "users", "_leases", "v000002")) == []  # lease dropped on failure


def test_checksum_mismatch_and_truncation(store_copy):
    part = os.path.join(store_copy, "tracks", "versions", "v000001", "part-00001.arrow")
    with open(part, "r+b") as f:
        f.seek(os.path.getsize(part) // 2)
        b = f.read(1)
        f.seek(-1, os.SEEK_CUR)
        f.write(bytes([b[0] ^ 0xFF]))
    st = ss.open_store(store_copy)
    with pytest.raises(ss.ChecksumMismatchError) as e:
        st.read_table("tracks")
    assert e.value.path == part and "has CRC32C" in str(e.value) and "manifest says" in str(e.value)
    idx = os.path.join(store_copy, "items", "versions", "v000001", "keys.idx")
    with open(idx, "r+b") as f:
        f.truncate(os.path.getsize(idx) - 4)
    with pytest.raises(ss.CorruptionError) as e:
        st.lookup("items", [1])
    assert e.value.path == idx and "truncated" in str(e.value)


def test_format_version(store_copy):
    import json
    path = os.path.join(store_copy, "items", "versions", "v000001", "manifest.json")
    m = json.load(open(path))
    del m["formatVersion"]  # manifests written before the field existed are format 1
    json.dump(m, open(path, "w"))
    st = ss.open_store(store_copy)
    assert st.read_table("items", ["item"]).num_rows == 1000
    m["formatVersion"] = ss.FORMAT_VERSION + 1
    json.dump(m, open(path, "w"))
    with pytest.raises(ss.FormatVersionError) as e:
        st.describe("items")
    assert e.value.path == path


def test_key_index_is_sorted_permutation(fixture_store):
    st = ss.open_store(fixture_store)
    with st.open("users") as fs:
        idx = fs.key_index()
        assert idx.key_type == "INT64" and idx.rows_count == 3000
        assert sorted(idx.rows.to_pylist()) == list(range(3000))
        t = fs.read(["user", "ts", "created"])
        triples = list(zip(idx.keys.to_pylist(), idx.ts.to_pylist(), idx.created.to_pylist(), idx.rows.to_pylist()))
        assert triples == sorted(triples)
        users = t.column("user").to_pylist()
        assert all(users[r] == k for k, _, _, r in triples)
    with st.open("tracks") as fs:
        idx = fs.key_index()
        assert idx.key_type == "UTF8" and idx.created is None
        assert idx.distinct == len(set(fs.read(["track_uri"]).column(0).to_pylist()))


def test_latest_follows_snapshots_as_java_does(fixture_store):
    """ "latest" is the newest complete run's version (FORMAT.md, "Snapshots"), the same as the Java store's."""
    import json
    with open(os.path.join(os.path.dirname(fixture_store), "expected-latest.json")) as f:
        expected = json.load(f)
    st = ss.open_store(fixture_store)
    assert {name: st.describe(name)["version"] for name in expected} == expected
    assert expected["runs"] == "v000001"  # v000002 belongs to a run that wrote no snapshot
    assert [m["version"] for m in st.history("runs")] == ["v000001", "v000002"]
    assert st.describe("runs", "v000002")["version"] == "v000002"  # still readable by its id
    assert st.read_table("runs").column("value").to_pylist() == [1.0, 1.0, 1.0]
    with pytest.raises(ss.VersionNotFoundError) as e:
        st.describe("runs_partial")
    assert "has no complete version" in str(e.value) and "wrote no snapshot" in str(e.value)
