#!/usr/bin/env python3
"""Python vs Java on the same data: reading a 2M x 64 embedding set and a point-in-time join of 1M entity rows
against a 5M-row feature set.

It runs `bin/segue bench store` with --dir (the Java writer writes the sets there and times its own scan and
join) and --entities-out (the join's entity rows as an Arrow file), then times segue_store on the very same
files: read_table of both columns (ZSTD and uncompressed, with and without CRC32C checks), the join's matching
step (key index + as-of merge, what the Java figure times) and the whole get_historical_features (plus reading
and gathering the feature column). With --check it also runs `segue store join` on the same entities and
compares the two outputs row for row.

    python client/python/bench/bench_store.py [--rows 2000000] [--dim 64] [--join-rows 5000000]
        [--join-entities 1000000] [--join-keys 1000000] [--reps 3] [--dir DIR] [--check]
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import pyarrow as pa
import pyarrow.ipc as ipc

import segue_store as ss
from segue_store.join import asof_rows

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def timed(fn, reps):
    runs = []
    out = None
    for _ in range(reps):
        t = time.perf_counter()
        out = fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), runs, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--join-rows", type=int, default=5_000_000)
    ap.add_argument("--join-entities", type=int, default=1_000_000)
    ap.add_argument("--join-keys", type=int, default=1_000_000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--dir", help="scratch folder (default: a temporary one, removed afterwards)")
    ap.add_argument("--check", action="store_true", help="also compare with `segue store join` row for row")
    ap.add_argument("--segue", default=os.path.join(REPO, "bin", "segue"))
    a = ap.parse_args()
    work = a.dir or tempfile.mkdtemp(prefix="segue-bench-py-")
    store_dir = os.path.join(work, "store")
    entities_file = os.path.join(work, "entities.arrow")
    os.makedirs(store_dir, exist_ok=True)
    try:
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
              f"{os.getloadavg()[2]:.2f}; pyarrow {pa.__version__}, python {sys.version.split()[0]}", flush=True)
        cmd = [a.segue, "bench", "store", "--dir", store_dir, "--rows", str(a.rows), "--dim", str(a.dim),
               "--join-rows", str(a.join_rows), "--join-entities", str(a.join_entities), "--join-keys", str(a.join_keys),
               "--reps", str(a.reps), "--entities-out", entities_file]
        print("== Java: " + " ".join(cmd), flush=True)
        java = subprocess.run(cmd, capture_output=True, text=True)
        sys.stdout.write(java.stdout)
        if java.returncode != 0:
            sys.stderr.write(java.stderr)
            return 1
        jscan = dict(re.findall(r"scan  (\w+)\s+median\s+([\d.]+) s", java.stdout))
        jjoin = float(re.search(r"point-in-time join: .* median ([\d.]+) s", java.stdout).group(1))

        print("== Python (segue_store) on the same files", flush=True)
        st = ss.open_store(store_dir)
        logical_mb = a.rows * (4 + 4 * a.dim) / 1e6
        for label in ("zstd", "none"):
            for verify in (True, False):
                med, runs, t = timed(lambda: st.read_table(f"bench_{label}", ["track_id", "factors"], verify=verify), a.reps)
                assert t.num_rows == a.rows
                print(f"scan  {label:<4} verify={'on ' if verify else 'off'} median {med:6.2f} s {logical_mb / med:7.1f} MB/s  "
                      f"(runs {' '.join(f'{r:.3f}' for r in runs)}; Java readAll {float(jscan[label]):.2f} s = "
                      f"{logical_mb / float(jscan[label]):.1f} MB/s)", flush=True)

        entities = ipc.open_file(entities_file).read_all()
        assert entities.num_rows == a.join_entities
        micros = entities.column("event_timestamp").combine_chunks().cast(pa.int64())
        keys = entities.column("user").combine_chunks()

        results = {}
        for engine in ("numpy", "pyarrow"):
            def matching():
                with st.open("bench_events") as fs:
                    return asof_rows(fs.key_index(), keys, micros, 30 * 86_400_000_000, engine)

            med_m, runs_m, rows = timed(matching, a.reps)
            results[engine] = rows
            matched = len(rows) - rows.null_count
            print(f"point-in-time join matching, engine {engine} (open + key index + as-of merge; what Java's figure "
                  f"times): {a.join_entities:,} x {a.join_rows:,}  median {med_m:.3f} s  (runs "
                  f"{' '.join(f'{r:.3f}' for r in runs_m)}; {100 * matched / len(rows):.1f}% matched)  Java {jjoin:.3f} s  "
                  f"ratio Python/Java {med_m / jjoin:.2f}", flush=True)
        if not results["numpy"].equals(results["pyarrow"]):
            print("the numpy and pyarrow engines disagree", file=sys.stderr)
            return 1
        med_f, runs_f, out = timed(lambda: st.get_historical_features(entities, ["bench_events:value"], ttl="30d"), a.reps)
        print(f"get_historical_features (default engine; matching + reading and gathering the value column): median "
              f"{med_f:.3f} s  (runs {' '.join(f'{r:.3f}' for r in runs_f)})  ratio to Java's matching {med_f / jjoin:.2f}",
              flush=True)
        if a.check:
            java_out = os.path.join(work, "java-join.arrow")
            p = subprocess.run([a.segue, "store", "join", "--store", store_dir, "--entities", entities_file,
                                "--features", "bench_events:value", "--ttl", "30d", "--out", java_out],
                               capture_output=True, text=True)
            if p.returncode != 0:
                sys.stderr.write(p.stderr)
                return 1
            j = ipc.open_file(java_out).read_all()
            same = j.column("bench_events__value").equals(out.column("bench_events__value"))
            print(f"check: segue store join output == Python output, column bench_events__value: {same}", flush=True)
            if not same:
                return 1
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        return 0
    finally:
        if not a.dir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
