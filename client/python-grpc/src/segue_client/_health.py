"""The standard grpc.health.v1 classes: grpcio-health-checking's when it is installed, else the package's own.

Both define the same protobuf symbols, and one process may register them only once, so the package never loads
its own copy next to grpcio-health-checking's.
"""
try:
    from grpc_health.v1 import health_pb2, health_pb2_grpc
except ImportError:
    from segue_client._proto import health_pb2, health_pb2_grpc

__all__ = ["health_pb2", "health_pb2_grpc"]
