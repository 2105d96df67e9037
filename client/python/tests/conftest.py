"""Shared fixtures. The store the tests read is written by the Java writer (PythonFixtureTest in featurestore);
the Java side of the comparisons runs through bin/segue. Neither is optional: a missing one fails the tests."""

import os
import shutil
import subprocess

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
FIXTURE = os.environ.get("SEGUE_PY_FIXTURE", os.path.join(REPO, "featurestore", "target", "python-fixture", "store"))
SEGUE = os.environ.get("SEGUE_CLI", os.path.join(REPO, "bin", "segue"))


@pytest.fixture(scope="session")
def fixture_store() -> str:
    if not os.path.isdir(os.path.join(FIXTURE, "users")):
        pytest.fail(f"no fixture store at {FIXTURE}: run client/python/run_tests.sh, or "
                    "mvn -B -pl featurestore test -Dtest=PythonFixtureTest -Dsurefire.failIfNoSpecifiedTests=false")
    return FIXTURE


@pytest.fixture
def store_copy(fixture_store, tmp_path) -> str:
    """A private copy of the fixture store that a test may damage."""
    dst = str(tmp_path / "store")
    shutil.copytree(fixture_store, dst)
    return dst


def segue(*args: str) -> subprocess.CompletedProcess:
    """Runs bin/segue (it builds the project first if needed) and returns the finished process."""
    return subprocess.run([SEGUE, *args], capture_output=True, text=True, timeout=1800,
                          env={**os.environ, "SEGUE_HEAP": os.environ.get("SEGUE_HEAP", "1g")})
