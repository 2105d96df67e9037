#!/usr/bin/env python3
"""One ANN peer on the vectors and queries `segue bench ann --peers` exported; prints one JSON object.

Run by the benchmark with Debian's /usr/bin/python3 (python3-hnswlib, python3-faiss: tools/bench/install-peers.sh).

  ann_peer.py --library hnswlib|faiss --base F --queries F --truth F --dim D --k 10,500
              [--m 32 --ef-construction 200 --ef10 10,20,... --ef500 500,...] --threads T --passes P

Files are little-endian: base and queries float32 rows of D, truth int32 rows of the exact top-500 ids per query
(Segue's exact scan). hnswlib gets the global MIPS reduction (item x -> [x/M, sqrt(1 - |x|^2/M^2)], query
q -> [q/|q|, 0], space 'ip'), built with T threads and searched with one thread, all queries per call;
faiss is IndexFlatIP (the exact inner-product scan) on one thread, one query per call as a server answers them.
q/s is the median of P timed passes after one warm-up pass, per wall-clock second ("qps") and per second of the
process's CPU time ("cpu_qps": the search runs on one thread, so this is not charged for time slices lost to other
processes, as Segue's "per CPU-s"). A missing library prints {"missing": reason}.
"""
import argparse
import json
import sys
import time


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def timed(run, passes):
    """Median wall and CPU seconds of one pass."""
    run()  # warm-up
    wall, cpu = [], []
    for _ in range(passes):
        t0, c0 = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return median(wall), median(cpu)


def recall(found, truth, k):
    hits = 0
    for got, exact in zip(found, truth):
        hits += len(set(int(i) for i in got[:k]) & set(int(i) for i in exact[:k]))
    return hits / (k * len(truth))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--library", required=True, choices=["hnswlib", "faiss"])
    p.add_argument("--base", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("--truth", required=True)
    p.add_argument("--dim", type=int, required=True)
    p.add_argument("--k", default="10,500")
    p.add_argument("--m", type=int, default=32)
    p.add_argument("--ef-construction", type=int, default=200)
    p.add_argument("--ef10", default="10,16,25,40,64,100,160,250,400,640")
    p.add_argument("--ef500", default="500,600,750,1000,1500,2000,3000,4000")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--passes", type=int, default=3)
    a = p.parse_args()
    try:
        import numpy as np
        lib = __import__(a.library)
    except ImportError as e:
        print(json.dumps({"library": a.library, "missing": "%s cannot import %s: %s" % (sys.executable, a.library, e)}))
        return 0
    base = np.fromfile(a.base, dtype="<f4").reshape(-1, a.dim)
    queries = np.fromfile(a.queries, dtype="<f4").reshape(-1, a.dim)
    truth = np.fromfile(a.truth, dtype="<i4").reshape(len(queries), -1)
    ks = [int(k) for k in a.k.split(",")]
    out = {"library": a.library, "version": getattr(lib, "__version__", "debian package"), "rows": len(base),
           "queries": len(queries), "points": []}
    if a.library == "hnswlib":
        norms = np.linalg.norm(base, axis=1)
        big = float(norms.max()) or 1.0
        items = np.hstack([base / big, np.sqrt(np.maximum(0.0, 1.0 - (norms / big) ** 2))[:, None]]).astype(np.float32)
        qn = np.linalg.norm(queries, axis=1)
        qn[qn == 0] = 1.0
        qs = np.hstack([queries / qn[:, None], np.zeros((len(queries), 1))]).astype(np.float32)
        index = lib.Index(space="ip", dim=a.dim + 1)
        index.init_index(max_elements=len(items), M=a.m, ef_construction=a.ef_construction, random_seed=1)
        index.set_num_threads(a.threads)
        t0 = time.perf_counter()
        index.add_items(items, np.arange(len(items)), num_threads=a.threads)
        out["build_seconds"] = time.perf_counter() - t0
        out["build_threads"] = a.threads
        for k in ks:
            for ef in [int(e) for e in (a.ef10 if k <= 10 else a.ef500).split(",")]:
                if ef < k:
                    continue
                index.set_ef(ef)
                labels, _ = index.knn_query(qs, k=k, num_threads=1)
                sec, cpu = timed(lambda: index.knn_query(qs, k=k, num_threads=1), a.passes)
                out["points"].append({"k": k, "ef": ef, "recall": recall(labels, truth, k), "qps": len(qs) / sec,
                                      "cpu_qps": len(qs) / cpu if cpu > 0 else None})
    else:
        lib.omp_set_num_threads(1)
        index = lib.IndexFlatIP(a.dim)
        index.add(np.ascontiguousarray(base))
        rows = [np.ascontiguousarray(queries[i:i + 1]) for i in range(len(queries))]
        for k in ks:
            found = [index.search(r, k)[1][0] for r in rows]
            sec, cpu = timed(lambda: [index.search(r, k) for r in rows], a.passes)
            out["points"].append({"k": k, "ef": 0, "recall": recall(found, truth, k), "qps": len(rows) / sec,
                                  "cpu_qps": len(rows) / cpu if cpu > 0 else None})
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
