"""segue_client: Python client for the Segue index server (gRPC API segue.v1 and grpc.health.v1).

    from segue_client import SegueClient
    with SegueClient("127.0.0.1:50051") as client:
        client.wait_until_serving(timeout=60)
        r = client.continue_(title="road trip", seeds=["spotify:track:..."], k=10)

The generated classes: ``segue_client.segue_pb2`` (messages) and ``segue_client.segue_pb2_grpc``
(``RecommenderStub``), made from proto/src/main/proto/segue.proto when the package was built.
"""
from segue_client._proto import segue_pb2, segue_pb2_grpc
from segue_client._health import health_pb2, health_pb2_grpc
from segue_client.client import SERVICE, SegueClient, token_from_env
from segue_client.errors import (DeadlineExceeded, InvalidArgument, NotFound, NotServing, SegueError,
                                 Unauthenticated, Unavailable)

__all__ = ["SegueClient", "SERVICE", "token_from_env", "segue_pb2", "segue_pb2_grpc", "health_pb2",
           "health_pb2_grpc", "SegueError", "Unavailable", "NotServing", "Unauthenticated", "NotFound",
           "InvalidArgument", "DeadlineExceeded"]
