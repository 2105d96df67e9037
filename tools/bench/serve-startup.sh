#!/usr/bin/env bash
# segue serve start-up, two ways on the same store in the same run (alternating, so both see the same load).
#
# usage: tools/bench/serve-startup.sh STORE [REPS] [verify|artifact]   (default 5 repetitions, verify)
#
# Times launch -> the server's "SERVING" log line. Never writes into STORE: index artifacts go to a scratch
# folder (--index-artifacts).
#   verify:   verified reads on (the default: every part's CRC32C checked) vs off (-Dsegue.store.verifyReads=false),
#             both loading the index artifact (a first untimed start builds it)
#   artifact: loading the index artifact (written once, untimed, by segue index build) vs building the graph
#             (an empty artifacts folder per run)
# Prints each run, the medians and their ratio, with the load average. Builds nothing: run bin/segue once first.
set -euo pipefail
store="${1:?usage: tools/bench/serve-startup.sh STORE [REPS] [verify|artifact]}"
reps="${2:-5}"
compare="${3:-verify}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[ -d "$store" ] || { echo "serve-startup.sh: $store is not a folder" >&2; exit 2; }
case "$compare" in
  verify) a=on; b=off ;;
  artifact) a=artifact; b=build ;;
  *) echo "serve-startup.sh: unknown comparison '$compare' (verify or artifact)" >&2; exit 2 ;;
esac
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
arts="$work/artifacts"

one() { # $1 = on|off|artifact|build; prints seconds to SERVING
  local opts="" dir="$arts" log="$work/serve-$1.log"
  [ "$1" = off ] && opts="-Dsegue.store.verifyReads=false"
  if [ "$1" = build ]; then dir="$work/empty-$RANDOM$RANDOM"; mkdir -p "$dir"; fi
  local t0 t1="" pid
  t0=$(date +%s.%N)
  SEGUE_NO_BUILD=1 SEGUE_JAVA_OPTS="$opts" "$root/bin/segue" serve --store "$store" --port 0 \
    --host 127.0.0.1 --index-artifacts "$dir" > "$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 60000); do
    if grep -q "SERVING" "$log"; then t1=$(date +%s.%N); break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ "$1" = build ] && rm -rf "$dir"
  if [ -z "$t1" ]; then
    echo "serve-startup.sh: the server did not start ($1): $(tail -n 2 "$log")" >&2
    exit 1
  fi
  echo "$t1 - $t0" | bc
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "store $store, $compare: $a vs $b, $reps runs each, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
t0=$(date +%s.%N)
SEGUE_NO_BUILD=1 "$root/bin/segue" index build --store "$store" --index-artifacts "$arts" > "$work/index-build.log" 2>&1 \
  || { echo "serve-startup.sh: segue index build failed: $(tail -n 2 "$work/index-build.log")" >&2; exit 1; }
echo "segue index build (untimed warm-up for the runs): $(echo "$(date +%s.%N) - $t0" | bc) s; $(grep '^track_factors' "$work/index-build.log")"
: > "$work/$a"; : > "$work/$b"
for r in $(seq 1 "$reps"); do
  if [ $((r % 2)) = 1 ]; then order="$a $b"; else order="$b $a"; fi
  for mode in $order; do
    s=$(one "$mode") || exit 1
    echo "$s" >> "$work/$mode"
    echo "run $r $mode: $s s (load $(cut -d' ' -f1 /proc/loadavg))"
  done
done
ma=$(median < "$work/$a")
mb=$(median < "$work/$b")
echo "median start-up: $a $ma s, $b $mb s, $a/$b $(echo "scale=3; $ma / $mb" | bc)"
