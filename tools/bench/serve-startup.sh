#!/usr/bin/env bash
# segue serve start-up with and without verified reads, on the same store in the same run.
#
# usage: tools/bench/serve-startup.sh STORE [REPS]   (default 5 repetitions of each)
#
# Times launch -> the server's "SERVING" log line (store resolved through its snapshot, every part's CRC32C
# checked, the HNSW graph loaded from its index artifact in STORE/_artifacts), alternating "on" (the default) and "off"
# (-Dsegue.store.verifyReads=false) so both see the same machine load; a first untimed start builds and saves
# the graph. Prints each run, the medians and their ratio, with the load average. Builds nothing: run
# bin/segue once first.
set -euo pipefail
store="${1:?usage: tools/bench/serve-startup.sh STORE [REPS]}"
reps="${2:-5}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[ -d "$store" ] || { echo "serve-startup.sh: $store is not a folder" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

one() { # $1 = on|off; prints seconds to SERVING
  local opts="" log="$work/serve-$1.log"
  [ "$1" = off ] && opts="-Dsegue.store.verifyReads=false"
  local t0 t1="" pid
  t0=$(date +%s.%N)
  SEGUE_NO_BUILD=1 SEGUE_JAVA_OPTS="$opts" "$root/bin/segue" serve --store "$store" --port 0 \
    --host 127.0.0.1 > "$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 6000); do
    if grep -q "SERVING" "$log"; then t1=$(date +%s.%N); break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ -z "$t1" ]; then
    echo "serve-startup.sh: the server did not start ($1): $(tail -n 2 "$log")" >&2
    exit 1
  fi
  echo "$t1 - $t0" | bc
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "store $store, $reps runs each, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
s=$(one on) || exit 1
echo "warm-up (builds or loads the graph): $s s"
: > "$work/on"; : > "$work/off"
for r in $(seq 1 "$reps"); do
  if [ $((r % 2)) = 1 ]; then order="on off"; else order="off on"; fi
  for mode in $order; do
    s=$(one "$mode") || exit 1
    echo "$s" >> "$work/$mode"
    echo "run $r $mode: $s s (load $(cut -d' ' -f1 /proc/loadavg))"
  done
done
on=$(median < "$work/on")
off=$(median < "$work/off")
echo "median start-up: verified reads on $on s, off $off s, on/off $(echo "scale=3; $on / $off" | bc)"
