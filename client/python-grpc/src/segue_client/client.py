"""SegueClient: a small, blocking Python client for the Segue index server.

One channel per client (plaintext, or TLS trusting a CA file, optionally checking another name than the
target's host); a bearer token sent as ``authorization: Bearer <token>`` metadata on every call; a deadline
on every call (the client's default, or the call's own); failures raised as segue_client.errors exceptions.
Answers are the generated protobuf messages (segue_client.segue_pb2), so fields carry the proto's names.
"""
import os
import time

import grpc

from segue_client import errors
from segue_client._health import health_pb2, health_pb2_grpc
from segue_client._proto import segue_pb2, segue_pb2_grpc

SERVICE = "segue.v1.Recommender"
"""The service name the server reports in the grpc.health.v1 health service."""


def _read(path, what):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise ValueError(f"cannot read {what} {path}: {e.strerror}") from None


class SegueClient:
    """A client for one Segue server, e.g. ``SegueClient("127.0.0.1:50051")``.

    :param target: ``host:port`` of ``segue serve``.
    :param ca_file: PEM file with the CA (or the self-signed certificate) to trust; given, the channel uses TLS.
    :param authority: the name to check in the server's certificate (and send as :authority) instead of the
        target's host, e.g. when connecting by IP address to a certificate made for a DNS name.
    :param token: bearer token (``segue serve --token-file/--token-env``); or ``token_file``, a file holding it.
    :param deadline: seconds each call may take unless the call says otherwise (default 10).
    """

    def __init__(self, target, *, ca_file=None, authority=None, token=None, token_file=None, deadline=10.0):
        if not target or ":" not in target:
            raise ValueError(f"target must be host:port, got {target!r}")
        if token is not None and token_file is not None:
            raise ValueError("pass token or token_file, not both")
        if token_file is not None:
            token = _read(token_file, "token file").decode("utf-8").strip()
            if not token:
                raise ValueError(f"token file {token_file} is empty")
        elif token is not None:
            token = token.strip()
            if not token:
                raise ValueError("token is empty")
        if deadline is not None and deadline <= 0:
            raise ValueError(f"deadline must be > 0 seconds, got {deadline}")
        self.target = target
        self.tls = ca_file is not None
        self.deadline = deadline
        self._metadata = (("authorization", "Bearer " + token),) if token else None
        options = []
        if authority:
            options.append(("grpc.default_authority", authority))
        if self.tls:
            credentials = grpc.ssl_channel_credentials(root_certificates=_read(ca_file, "CA file"))
            if authority:
                options.append(("grpc.ssl_target_name_override", authority))
            self._channel = grpc.secure_channel(target, credentials, options=options)
        else:
            self._channel = grpc.insecure_channel(target, options=options)
        self.stub = segue_pb2_grpc.RecommenderStub(self._channel)
        """The generated stub, for calls the client has no method for (ContinueBatch, Reload)."""
        self._health = health_pb2_grpc.HealthStub(self._channel)

    # -- lifecycle ---------------------------------------------------------------------------------------------
    def close(self):
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- calls -------------------------------------------------------------------------------------------------
    def _call(self, method, rpc, request, deadline):
        timeout = self.deadline if deadline is None else deadline
        try:
            return rpc(request, timeout=timeout, metadata=self._metadata)
        except grpc.RpcError as e:
            raise errors.from_rpc_error(e, method, self.target, self.tls) from None

    def continue_(self, *, seeds=(), title=None, k=None, exclude_tracks=(), exclude_artists=(), allow_artists=(),
                  first_stage_only=False, seeds_shuffled=False, request_id="", deadline=None):
        """Continue a playlist from its seed track URIs (playlist order) and/or its title.

        :param k: tracks wanted; None = the server's default (500).
        :param exclude_tracks, exclude_artists: URIs never returned; ``allow_artists``: if given, only these.
        :param first_stage_only: skip the learned re-ranker for this request (A/B against two stages).
        :param seeds_shuffled: the seeds are a random sample of the playlist, not its first tracks.
        :returns: segue_pb2.ContinueResponse (``tracks`` best first, ``strategy``, ``unknown_seed_uris``,
            ``data_version``, ``stages``: which stages ran and with which ranker).
        """
        if isinstance(seeds, str):
            raise TypeError("seeds must be a list of track URIs, not one string")
        request = segue_pb2.ContinueRequest(request_id=request_id, seed_track_uris=list(seeds), k=k or 0,
                                            first_stage_only=bool(first_stage_only),
                                            seeds_shuffled=bool(seeds_shuffled))
        if title is not None:
            request.title = title
        if exclude_tracks or exclude_artists or allow_artists:
            request.filter.CopyFrom(segue_pb2.Filter(exclude_track_uris=list(exclude_tracks),
                                                     exclude_artist_uris=list(exclude_artists),
                                                     allow_artist_uris=list(allow_artists)))
        return self._call("Continue", self.stub.Continue, request, deadline)

    def similar(self, track_uri, *, k=None, deadline=None):
        """Nearest tracks to ``track_uri`` in factor space (itself excluded). NotFound for an unknown track.

        :returns: segue_pb2.SimilarTracksResponse (``tracks``, ``data_version``).
        """
        return self._call("SimilarTracks", self.stub.SimilarTracks,
                          segue_pb2.SimilarTracksRequest(track_uri=track_uri, k=k or 0), deadline)

    def status(self, *, deadline=None):
        """What is served: data version, item count, dimensions, index parameters, latencies per method.

        :returns: segue_pb2.StatusResponse. Unavailable while the index is still loading.
        """
        return self._call("Status", self.stub.Status, segue_pb2.StatusRequest(), deadline)

    def health(self, *, deadline=None):
        """The health service's status for segue.v1.Recommender: 'SERVING' or 'NOT_SERVING' (index loading)."""
        response = self._call("Health/Check", self._health.Check, health_pb2.HealthCheckRequest(service=SERVICE),
                              deadline)
        return health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)

    def wait_until_serving(self, timeout=60.0, *, poll=0.2):
        """Block until the health service says SERVING; raise NotServing after ``timeout`` seconds.

        Unreachable and NOT_SERVING are waited out (a server that is starting or building its index); an
        Unauthenticated or any other error is raised at once.
        """
        end = time.monotonic() + timeout
        last = "no answer yet"
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise errors.NotServing(f"{self.target} was not SERVING within {timeout:g} s (last: {last})",
                                        code=grpc.StatusCode.UNAVAILABLE, details=last, method="Health/Check",
                                        target=self.target)
            try:
                state = self.health(deadline=max(0.05, min(left, 5.0)))
                if state == "SERVING":
                    return
                last = state
            except (errors.Unavailable, errors.DeadlineExceeded) as e:
                last = str(e)
            time.sleep(min(poll, max(0.0, end - time.monotonic())))


def token_from_env(variable):
    """The bearer token in environment variable ``variable`` (as ``segue serve --token-env``); ValueError if unset."""
    value = os.environ.get(variable, "").strip()
    if not value:
        raise ValueError(f"environment variable {variable} is not set or empty")
    return value
