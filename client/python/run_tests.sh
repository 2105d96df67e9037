#!/usr/bin/env bash
# Tests of the Python package segue_store: creates a venv in client/python/.venv (git-ignored), installs the
# package with its test extras from the machine's pip index, makes sure the Java-written fixture store exists
# (featurestore's PythonFixtureTest writes it), and runs pytest. The Java side of the comparisons runs through
# bin/segue, which builds the project first if needed. Exits non-zero on any failure, and when pytest collected
# no tests at all (its exit code 5).
# Environment: SEGUE_PY (python3 to create the venv with), PYTEST_ARGS (extra pytest arguments).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$here/.venv"
py="${SEGUE_PY:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  if ! "$py" -m venv "$venv" 2>/dev/null; then
    rm -rf "$venv"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "== installing python3-venv (Debian) =="
      apt-get install -y -q python3-venv >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q python3-venv >/dev/null; }
    fi
    "$py" -m venv "$venv" || { echo "run_tests.sh: cannot create a venv with $py (on Debian: apt-get install python3-venv)" >&2; exit 1; }
  fi
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check --retries 1 "$here[test]"

fixture="$repo/featurestore/target/python-fixture/store"
if [ ! -d "$fixture/users" ]; then
  echo "== writing the fixture store with the Java writer (PythonFixtureTest) =="
  (cd "$repo" && mvn -B -q -pl featurestore -am test -Dtest=PythonFixtureTest -Dsurefire.failIfNoSpecifiedTests=false)
fi

echo "== pytest client/python/tests =="
cd "$here"
status=0
# shellcheck disable=SC2086
"$venv/bin/python" -m pytest -p no:cacheprovider ${PYTEST_ARGS:-} tests || status=$?
if [ "$status" = 5 ]; then
  echo "run_tests.sh: pytest collected no tests" >&2
  exit 1
fi
exit "$status"
