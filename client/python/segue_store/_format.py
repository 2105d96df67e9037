"""Low-level readers of the on-disk format (featurestore/FORMAT.md): version folders, manifests, leases,
checksummed files and the key index. Nothing here writes anything but a lease file."""

from __future__ import annotations

import json
import os
import re
import struct
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Optional

import google_crc32c
import pyarrow as pa

from .errors import (
    ChecksumMismatchError,
    CorruptionError,
    FeatureSetNotFoundError,
    FormatVersionError,
    MissingFileError,
    StoreError,
    VersionNotFoundError,
)

#: The newest ``formatVersion`` this package reads. Manifests without the field are format 1.
FORMAT_VERSION = 1

VERSIONS = "versions"
LEASES = "_leases"
SNAPSHOTS = "_snapshots"
SNAPSHOT_RE = re.compile(r"s(\d{6,})\.json\Z")
#: Manifest parameter naming the run that wrote a version (absent for a write outside a run).
RUN_PARAM = "segue.run"
MANIFEST = "manifest.json"
VERSION_RE = re.compile(r"v(\d{6,})\Z")
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}\Z")

KEY_INDEX_MAGIC = 0x494B4753  # "SGKI" little-endian
KEY_INDEX_HEADER = 24
# FeatureType ordinals as written in the key index header
KEY_TYPES = {0: "INT32", 1: "INT64", 5: "UTF8"}


def version_id(sequence: int) -> str:
    return "v%06d" % sequence


def sequence_of(version: str) -> int:
    m = VERSION_RE.match(version)
    if not m:
        raise VersionNotFoundError(f"not a version id: '{version}' (expected like v000001)", version)
    return int(m.group(1))


def committed_versions(root: str, name: str) -> list[str]:
    """Version folders of a feature set that hold a manifest, in sequence order (the visible versions)."""
    d = os.path.join(root, name, VERSIONS)
    try:
        entries = os.listdir(d)
    except FileNotFoundError:
        return []
    except NotADirectoryError:
        return []
    out = [e for e in entries if VERSION_RE.match(e) and os.path.isfile(os.path.join(d, e, MANIFEST))]
    out.sort(key=sequence_of)
    return out


def parse_instant_nanos(value) -> int:
    """Nanoseconds since the epoch of an ISO-8601 instant string (any number of fraction digits) or a datetime
    (naive means UTC)."""
    if isinstance(value, datetime):
        dt = value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
        delta = dt - datetime(1970, 1, 1, tzinfo=timezone.utc)
        return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1_000
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO-8601 string or datetime, got {type(value).__name__}")
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})", value.strip())
    if not m:
        raise ValueError(f"'{value}' is not an ISO-8601 instant like 2024-05-01T12:00:00Z")
    base = datetime.fromisoformat(m.group(1) + ("+00:00" if m.group(3) == "Z" else m.group(3)))
    frac = (m.group(2) or "").ljust(9, "0")
    return parse_instant_nanos(base.replace(microsecond=0)) + int(frac or 0)


def resolve_version(root: str, name: str, version: Optional[str] = None, as_of=None) -> str:
    """The one place where a feature-set version is chosen (FORMAT.md, "Which version is latest").

    ``version``: None or "latest" (see :func:`latest_complete`), an id like v000003, or a bare number.
    ``as_of``: a datetime or ISO-8601 instant: the highest-sequence version whose manifest ``createdAt`` is at or
    before it.
    """
    committed = committed_versions(root, name)
    if not committed:
        raise FeatureSetNotFoundError(f"feature set '{name}' does not exist in {root}", os.path.join(root, name))
    if version is not None and as_of is not None:
        raise ValueError("give a version or as_of, not both")
    if as_of is not None:
        t = parse_instant_nanos(as_of)
        best = None
        for v in committed:
            m = read_manifest(root, name, v)
            if parse_instant_nanos(m["createdAt"]) <= t:
                best = v  # committed is in sequence order
        if best is None:
            first = read_manifest(root, name, committed[0])
            raise VersionNotFoundError(
                f"feature set '{name}' had no version at {as_of} (first version {committed[0]} was committed at "
                f"{first['createdAt']})", os.path.join(root, name, VERSIONS))
        return best
    if version is None or version == "latest":
        return latest_complete(root, name, committed)
    vid = version_id(int(version)) if str(version).isdigit() else str(version)
    if vid not in committed:
        raise VersionNotFoundError(f"feature set '{name}' has no version {version} (have {committed})",
                                   os.path.join(root, name, VERSIONS, vid))
    return vid


def snapshots(root: str) -> list[dict]:
    """The store's snapshot records (``ROOT/_snapshots/sNNNNNN.json``), oldest first (FORMAT.md, "Snapshots")."""
    d = os.path.join(root, SNAPSHOTS)
    try:
        names = [e for e in os.listdir(d) if SNAPSHOT_RE.match(e)]
    except (FileNotFoundError, NotADirectoryError):
        return []
    out = []
    for e in names:
        path = os.path.join(d, e)
        try:
            with open(path, "rb") as f:
                out.append(json.loads(f.read()))
        except FileNotFoundError:
            continue  # removed by gc while listing
        except (OSError, ValueError) as err:
            raise CorruptionError(f"{path}: unreadable snapshot record: {err}", path) from None
    out.sort(key=lambda r: int(r.get("sequence", 0)))
    return out


def latest_complete(root: str, name: str, committed: list[str]) -> str:
    """"latest" of a set, as the Java store resolves it: the newer of (a) its version in the newest snapshot that
    lists it and (b) its newest version written outside any run (no ``segue.run`` parameter; stores written
    before snapshots existed hold only these). A version of a run without a snapshot (killed, failed or still
    running) is never latest."""
    from_snapshot = None
    for record in reversed(snapshots(root)):
        v = (record.get("featureSets") or {}).get(name)
        if v is not None and v in committed:
            from_snapshot = v
            break
    floor = sequence_of(from_snapshot) if from_snapshot else 0
    unfinished = None
    for v in reversed(committed):
        if sequence_of(v) <= floor:
            break
        run = (read_manifest(root, name, v).get("parameters") or {}).get(RUN_PARAM)
        if run is None:
            return v
        if unfinished is None:
            unfinished = f"{v} (run {run})"
    if from_snapshot is not None:
        return from_snapshot
    raise VersionNotFoundError(
        f"feature set '{name}' has no complete version in {root}: {unfinished} belongs to a run that wrote no "
        "snapshot (it failed, was killed or is still running; 'segue store gc' removes it once its process is gone)",
        os.path.join(root, name, VERSIONS))


def read_manifest(root: str, name: str, version: str) -> dict:
    path = os.path.join(root, name, VERSIONS, version, MANIFEST)
    try:
        with open(path, "rb") as f:
            m = json.loads(f.read())
    except FileNotFoundError:
        raise VersionNotFoundError(f"feature set '{name}' has no version {version}", path) from None
    except (OSError, ValueError) as e:
        raise CorruptionError(f"{path}: unreadable manifest: {e}", path) from None
    fmt = m.get("formatVersion", 1)
    if not isinstance(fmt, int) or fmt > FORMAT_VERSION:
        raise FormatVersionError(f"{path}: formatVersion {fmt} is newer than this reader ({FORMAT_VERSION}); "
                                 "upgrade segue-store", path)
    return m


class Lease:
    """ROOT/NAME/_leases/VERSION/PID-UUID: tells ``segue store gc`` a live process reads this version."""

    def __init__(self, root: str, name: str, version: str):
        d = os.path.join(root, name, LEASES, version)
        self.path = os.path.join(d, f"{os.getpid()}-{uuid.uuid4()}")
        try:
            os.makedirs(d, exist_ok=True)
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            os.close(fd)
        except OSError as e:
            raise StoreError(f"cannot take a read lease on '{name}' {version} ({self.path}): {e.strerror}",
                             self.path) from None

    def release(self) -> None:
        try:
            os.remove(self.path)
        except FileNotFoundError:
            pass
        except OSError:
            pass  # gc removes leases of finished processes


def check_size(path: str, entry: dict, what: str) -> None:
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        raise MissingFileError(f"{what}: file {path} is missing (listed in the manifest)", path) from None
    if size < entry["size"]:
        raise CorruptionError(f"{what}: file {path} is truncated: {size} bytes on disk, manifest says {entry['size']}",
                              path)
    if size > entry["size"]:
        raise CorruptionError(f"{what}: file {path} has {size} bytes on disk, manifest says {entry['size']}", path)


_CRC_CHUNK = 4 << 20


def crc32c(buf: pa.Buffer) -> int:
    """CRC32C of a buffer (hardware-accelerated by google-crc32c), fed in cache-sized copies because its C
    function takes only bytes objects."""
    crc = 0
    for off in range(0, buf.size, _CRC_CHUNK):
        crc = google_crc32c.extend(crc, buf.slice(off, min(_CRC_CHUNK, buf.size - off)).to_pybytes())
    return crc


def read_file(path: str, entry: dict, what: str, verify: bool) -> pa.Buffer:
    """The whole file as an Arrow buffer (memory-mapped), its size and, if asked, CRC32C checked."""
    check_size(path, entry, what)
    try:
        buf = pa.memory_map(path, "r").read_buffer()
    except FileNotFoundError:
        raise MissingFileError(f"{what}: file {path} is missing (listed in the manifest)", path) from None
    if verify:
        crc = "%08x" % crc32c(buf)
        if crc != entry["crc32c"]:
            raise ChecksumMismatchError(f"{what}: file {path} has CRC32C {crc}, manifest says {entry['crc32c']}", path)
    return buf


@dataclass(frozen=True)
class KeyIndex:
    """keys.idx: every row sorted by (key, event time, created time, row). For utf8 keys ``keys`` are ranks into
    the set's sorted distinct keys. Arrays are pyarrow int64 (rows int32); ``ts``/``created`` may be None."""
    key_type: str
    rows_count: int
    distinct: int
    keys: pa.Array
    ts: Optional[pa.Array]
    created: Optional[pa.Array]
    rows: pa.Array


def _array(buf: pa.Buffer, typ: pa.DataType, offset: int, n: int, width: int) -> pa.Array:
    section = buf.slice(offset, n * width)  # zero-copy view of the (memory-mapped) file
    if section.address % width:
        # sections after a utf8 key dictionary need not be aligned: copy into a fresh, aligned buffer
        section = pa.py_buffer(section.to_pybytes())
    return pa.Array.from_buffers(typ, n, [None, section])


def parse_key_index(path: str, buf: pa.Buffer, expected_rows: int) -> KeyIndex:
    if buf.size < KEY_INDEX_HEADER:
        raise CorruptionError(f"{path}: truncated key index ({buf.size} bytes)", path)
    magic, ver, ktype, has_ts, has_created, _pad, n, nd, _res = struct.unpack_from("<iiBBBBiii", buf.slice(0, KEY_INDEX_HEADER).to_pybytes())
    if magic != KEY_INDEX_MAGIC or ver != 1:
        raise CorruptionError(f"{path}: not a key index (bad magic or version)", path)
    if ktype not in KEY_TYPES:
        raise CorruptionError(f"{path}: key type ordinal {ktype} is not int32, int64 or utf8", path)
    if n != expected_rows:
        raise CorruptionError(f"{path}: key index has {n} rows, manifest says {expected_rows}", path)
    arrays = n * (8 + (8 if has_ts else 0) + (8 if has_created else 0) + 4)
    off = buf.size - arrays if KEY_TYPES[ktype] == "UTF8" else KEY_INDEX_HEADER
    if off < KEY_INDEX_HEADER or (KEY_TYPES[ktype] != "UTF8" and buf.size != KEY_INDEX_HEADER + arrays):
        raise CorruptionError(f"{path}: {buf.size} bytes do not hold a key index of {n} rows", path)
    keys = _array(buf, pa.int64(), off, n, 8)
    off += 8 * n
    ts = created = None
    if has_ts:
        ts = _array(buf, pa.int64(), off, n, 8)
        off += 8 * n
    if has_created:
        created = _array(buf, pa.int64(), off, n, 8)
        off += 8 * n
    rows = _array(buf, pa.int32(), off, n, 4)
    return KeyIndex(KEY_TYPES[ktype], n, nd if KEY_TYPES[ktype] == "UTF8" else -1, keys, ts, created, rows)
