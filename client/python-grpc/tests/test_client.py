"""segue_client against real `segue serve` processes (see conftest.py): answers, TLS, tokens and errors."""
import os
import subprocess
import sys

import grpc
import pytest

import segue_client
from segue_client import (DeadlineExceeded, InvalidArgument, NotFound, NotServing, SegueClient, SegueError,
                          Unauthenticated, Unavailable, segue_pb2)

from conftest import TOKEN, free_port


# -- answers -------------------------------------------------------------------------------------------------

def test_health_is_serving(plain):
    assert plain.health() == "SERVING"


def test_continue_with_seeds_and_title(plain, a_track):
    r = plain.continue_(seeds=[a_track, "spotify:track:unknown"], title="chill mix", k=20, request_id="py-1")
    assert r.request_id == "py-1"
    assert len(r.tracks) == 20
    assert r.strategy == segue_pb2.SEEDS_AND_TITLE
    assert list(r.unknown_seed_uris) == ["spotify:track:unknown"]
    assert all(t.track_uri != a_track for t in r.tracks)  # seeds are never recommended back
    scores = [t.score for t in r.tracks]
    assert scores == sorted(scores, reverse=True)
    assert all(t.artist_uri.startswith("spotify:artist:") for t in r.tracks)
    assert r.data_version


def test_continue_strategies_and_default_k(plain, a_track):
    assert plain.continue_(seeds=[a_track], k=5).strategy == segue_pb2.SEEDS
    title_only = plain.continue_(title="chill")
    assert title_only.strategy == segue_pb2.TITLE
    assert len(title_only.tracks) == min(500, plain.status().item_count)  # k unset: the server's default, 500


def test_continue_filters(plain, a_track):
    first = plain.continue_(seeds=[a_track], k=10)
    banned_track, banned_artist = first.tracks[0].track_uri, first.tracks[1].artist_uri
    r = plain.continue_(seeds=[a_track], k=10, exclude_tracks=[banned_track], exclude_artists=[banned_artist])
    assert len(r.tracks) == 10
    assert banned_track not in {t.track_uri for t in r.tracks}
    assert banned_artist not in {t.artist_uri for t in r.tracks}
    only = plain.continue_(seeds=[a_track], k=3, allow_artists=[banned_artist])
    assert only.tracks and {t.artist_uri for t in only.tracks} == {banned_artist}


def _stages_agree(stages, ranker):
    """A served ranker runs unless the per-shape selection keeps another order for the request's shape, and then the
    note names the shape; without a ranker the second stage never runs."""
    if not ranker:
        return not stages.second_stage
    if stages.second_stage:
        return stages.ranker_version == ranker
    return "on validation for this request's shape" in stages.note and not stages.ranker_version


def test_continue_stages_follow_the_servers_ranker_and_the_request(plain, a_track):
    ranker = plain.status().ranker_version
    seeds = [a_track] + [t.track_uri for t in plain.continue_(seeds=[a_track], k=30).tracks]
    shapes = [dict(seeds=seeds[:1]), dict(title="chill"), dict(title="chill", seeds=seeds[:1]),
              dict(seeds=seeds[:5]), dict(title="chill", seeds=seeds[:10]),
              dict(title="chill", seeds=seeds[:25], seeds_shuffled=True)]
    ran = 0
    for shape in shapes:
        r = plain.continue_(k=10, **shape)
        assert len(r.tracks) == 10, shape
        assert _stages_agree(r.stages, ranker), (shape, r.stages)
        ran += r.stages.second_stage
        first = plain.continue_(k=10, first_stage_only=True, **shape)
        assert not first.stages.second_stage and len(first.tracks) == 10, shape
    # the per-shape selection may keep the first stage in some shapes, not in all six
    assert (ran > 0) == bool(ranker), (ran, ranker)


def test_similar(plain, a_track):
    r = plain.similar(a_track, k=7)
    assert len(r.tracks) == 7
    assert a_track not in {t.track_uri for t in r.tracks}
    assert r.data_version == plain.status().data_version


def test_status(plain):
    s = plain.status()
    assert s.item_count > 0 and s.dimensions > 0 and s.index.m > 0
    assert s.data_version
    assert s.store_path == ""  # the store's path is shown to the admin role only
    plain.continue_(title="chill", k=1)
    methods = {l.method for l in plain.status().latencies}
    assert any("Continue" in m for m in methods), methods


def test_generated_stub_is_usable_directly(plain):
    """The raw stub (for ContinueBatch, Reload) is the grpc_tools-generated one and speaks the same API."""
    requests = [segue_pb2.ContinueRequest(request_id=str(i), title="chill", k=3) for i in range(3)]
    answers = list(plain.stub.ContinueBatch(iter(requests), timeout=10,
                                            metadata=[("authorization", "Bearer " + TOKEN)]))
    assert sorted(a.request_id for a in answers) == ["0", "1", "2"]
    assert all(len(a.tracks) == 3 for a in answers)


# -- errors: the server's status and message as Python exceptions ---------------------------------------------

def test_invalid_argument_carries_the_servers_message(plain):
    with pytest.raises(InvalidArgument) as e:
        plain.continue_(title="chill", k=-1)
    assert e.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert "k" in e.value.details and e.value.details in str(e.value)
    assert e.value.method == "Continue" and plain.target in str(e.value)


def test_unknown_track_is_not_found(plain):
    with pytest.raises(NotFound) as e:
        plain.similar("spotify:track:nope", k=3)
    assert "spotify:track:nope" in str(e.value)


def test_wrong_or_missing_token_is_unauthenticated(plain_server):
    with SegueClient(plain_server, token="wrong") as client, pytest.raises(Unauthenticated) as e:
        client.continue_(title="chill", k=3)
    assert "UNAUTHENTICATED" in str(e.value)
    with SegueClient(plain_server) as client, pytest.raises(Unauthenticated):
        client.status()


def test_wait_until_serving_does_not_wait_out_a_wrong_token(plain_server):
    with SegueClient(plain_server, token="wrong") as client:
        try:
            client.wait_until_serving(timeout=5)  # health may be open to every caller (no token needed) ...
        except Unauthenticated:
            pass  # ... or closed: then the wrong token is raised at once, not waited out as NotServing


def test_token_file(plain_server, token_file):
    with SegueClient(plain_server, token_file=token_file) as client:
        assert client.status().item_count > 0


def test_deadline_exceeded(plain):
    with pytest.raises(DeadlineExceeded) as e:
        plain.continue_(title="chill", k=500, deadline=0.000001)
    assert e.value.code == grpc.StatusCode.DEADLINE_EXCEEDED


def test_nothing_listening_is_unavailable():
    target = f"127.0.0.1:{free_port()}"
    with SegueClient(target, deadline=5) as client:
        with pytest.raises(Unavailable) as e:
            client.status()
        assert "cannot reach" in str(e.value) and target in str(e.value)
        with pytest.raises(NotServing) as e:
            client.wait_until_serving(timeout=0.5)
        assert target in str(e.value)


# -- TLS -----------------------------------------------------------------------------------------------------

def test_tls_with_ca_authority_and_token(tls_server, certificate):
    cert, _ = certificate
    with SegueClient(tls_server, ca_file=cert, authority="segue.test", token=TOKEN) as client:
        assert client.health() == "SERVING"
        assert client.status().item_count > 0
        assert len(client.continue_(title="chill", k=4).tracks) == 4


def test_tls_name_mismatch_without_authority_is_unavailable(tls_server, certificate):
    cert, _ = certificate
    with SegueClient(tls_server, ca_file=cert, token=TOKEN, deadline=5) as client, pytest.raises(Unavailable):
        client.status()  # the certificate names segue.test, not 127.0.0.1


def test_tls_server_without_ca_is_unavailable(tls_server):
    with SegueClient(tls_server, token=TOKEN, deadline=5) as client, pytest.raises(Unavailable) as e:
        client.status()
    assert "ca_file" in str(e.value) or "UNAVAILABLE" in str(e.value)


def test_tls_client_to_plaintext_server_is_unavailable(plain_server, certificate):
    cert, _ = certificate
    with SegueClient(plain_server, ca_file=cert, token=TOKEN, deadline=5) as client, pytest.raises(Unavailable):
        client.status()


def test_tls_wrong_token_is_unauthenticated(tls_server, certificate):
    cert, _ = certificate
    with SegueClient(tls_server, ca_file=cert, authority="segue.test", token="wrong") as client:
        with pytest.raises(Unauthenticated):
            client.status()


# -- bad client configuration: one clear line naming the value -----------------------------------------------

@pytest.mark.parametrize("kwargs, words", [
    (dict(target="localhost"), "host:port"),
    (dict(target="127.0.0.1:1", ca_file="/nonexistent/ca.pem"), "/nonexistent/ca.pem"),
    (dict(target="127.0.0.1:1", token_file="/nonexistent/token"), "/nonexistent/token"),
    (dict(target="127.0.0.1:1", token=" "), "token is empty"),
    (dict(target="127.0.0.1:1", deadline=0), "deadline"),
])
def test_bad_configuration(kwargs, words):
    with pytest.raises(ValueError) as e:
        SegueClient(**kwargs)
    assert words in str(e.value)


def test_every_error_is_a_segue_error():
    for cls in (Unavailable, NotServing, Unauthenticated, NotFound, InvalidArgument, DeadlineExceeded):
        assert issubclass(cls, SegueError)


# -- the README's example, as written, against a server without a token (SEGUE_TEST_SERVER) -----------------

def test_readme_example(tmp_path):
    target = os.environ.get("SEGUE_TEST_SERVER")
    if not target:
        pytest.skip("SEGUE_TEST_SERVER not set (.ci/run sets it to the demo's kept server)")
    readme = (segue_client_root() / "README.md").read_text()
    blocks = [b.split("```", 1)[0] for b in readme.split("```python\n")[1:]]
    examples = [b for b in blocks if "segue_client" in b]
    assert examples, "no ```python block using segue_client in the root README"
    example = examples[0].replace("127.0.0.1:50051", target)
    script = tmp_path / "example.py"
    script.write_text(example)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "spotify:track:" in out.stdout


def segue_client_root():
    import pathlib
    return pathlib.Path(__file__).resolve().parents[3]
