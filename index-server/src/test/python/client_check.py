"""A non-Java client: calls Continue and the standard health service of a running Segue server.

Message classes come from protoc --python_out; no gRPC code generator is needed: methods are called with
channel.unary_unary('/package.Service/Method', ...). Prints one JSON line and exits 0 when every check holds.
"""
import json
import sys

import grpc

import segue_pb2
import health_pb2


def main():
    target, token, seed = sys.argv[1], sys.argv[2], sys.argv[3]
    metadata = [("authorization", "Bearer " + token)]
    with grpc.insecure_channel(target) as channel:
        check = channel.unary_unary(
            "/grpc.health.v1.Health/Check",
            request_serializer=health_pb2.HealthCheckRequest.SerializeToString,
            response_deserializer=health_pb2.HealthCheckResponse.FromString)
        health = check(health_pb2.HealthCheckRequest(service="segue.v1.Recommender"), metadata=metadata, timeout=10)
        assert health.status == health_pb2.HealthCheckResponse.SERVING, health

        cont = channel.unary_unary(
            "/segue.v1.Recommender/Continue",
            request_serializer=segue_pb2.ContinueRequest.SerializeToString,
            response_deserializer=segue_pb2.ContinueResponse.FromString)
        request = segue_pb2.ContinueRequest(request_id="py-1", seed_track_uris=[seed, "spotify:track:unknown"],
                                            k=20, title="g1 mix")
        response = cont(request, metadata=metadata, timeout=10)
        assert response.request_id == "py-1", response.request_id
        assert len(response.tracks) == 20, len(response.tracks)
        assert response.strategy == segue_pb2.SEEDS_AND_TITLE, response.strategy
        assert list(response.unknown_seed_uris) == ["spotify:track:unknown"], response.unknown_seed_uris
        assert all(t.track_uri != seed for t in response.tracks)
        scores = [t.score for t in response.tracks]
        assert scores == sorted(scores, reverse=True), scores

        try:
            cont(segue_pb2.ContinueRequest(k=-1), metadata=metadata, timeout=10)
            raise AssertionError("k=-1 was accepted")
        except grpc.RpcError as e:
            assert e.code() == grpc.StatusCode.INVALID_ARGUMENT, e.code()
        try:
            cont(request, metadata=[("authorization", "Bearer wrong")], timeout=10)
            raise AssertionError("a wrong token was accepted")
        except grpc.RpcError as e:
            assert e.code() == grpc.StatusCode.UNAUTHENTICATED, e.code()

    print(json.dumps({"health": "SERVING", "tracks": len(response.tracks),
                      "strategy": segue_pb2.Strategy.Name(response.strategy),
                      "data_version": response.data_version, "first": response.tracks[0].track_uri}))


if __name__ == "__main__":
    main()
