"""Python exceptions for the gRPC status codes a Segue server answers with.

Every failed call raises a :class:`SegueError` (or a subclass) carrying the gRPC status code, the server's
message (``details``), the method and the target; ``str(e)`` is one line naming all of them.
"""
import grpc


class SegueError(Exception):
    """A call to a Segue server failed. ``code`` is the grpc.StatusCode, ``details`` the server's message."""

    def __init__(self, message, code=None, details="", method="", target=""):
        super().__init__(message)
        self.code = code
        self.details = details
        self.method = method
        self.target = target


class Unavailable(SegueError):
    """UNAVAILABLE: nothing listens at the target, the TLS handshake failed, or the index is still loading."""


class NotServing(Unavailable):
    """wait_until_serving() ran out of time before the health service said SERVING."""


class Unauthenticated(SegueError):
    """UNAUTHENTICATED: the server wants a bearer token, or a different one."""


class NotFound(SegueError):
    """NOT_FOUND: e.g. an unknown track in similar()."""


class InvalidArgument(SegueError):
    """INVALID_ARGUMENT: the server rejected the request (k out of range, too many seeds, ...)."""


class DeadlineExceeded(SegueError):
    """DEADLINE_EXCEEDED: no answer within the call's deadline."""


_BY_CODE = {
    grpc.StatusCode.UNAVAILABLE: Unavailable,
    grpc.StatusCode.UNAUTHENTICATED: Unauthenticated,
    grpc.StatusCode.NOT_FOUND: NotFound,
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgument,
    grpc.StatusCode.DEADLINE_EXCEEDED: DeadlineExceeded,
}


def _hint(code, details, target, tls):
    """What an UNAVAILABLE usually means, in the words of `segue query` (client/.../ServerOptions.java)."""
    if code != grpc.StatusCode.UNAVAILABLE:
        return ""
    low = details.lower()
    if "refused" in low:
        return f" (cannot reach {target}: is 'segue serve' running there?)"
    if tls and ("wrong_version_number" in low or "wrong version number" in low or "packet length too long" in low):
        return f" (the server at {target} answers in plaintext: drop ca_file)"
    if tls and ("certificate" in low or "ssl" in low or "handshake" in low):
        return (f" (TLS handshake with {target} failed: does ca_file hold the server's certificate or its CA, "
                f"and does the name match (authority=)?)")
    if not tls and ("socket closed" in low or "connection reset" in low or "eof" in low or "protocol" in low):
        return f" (if the server at {target} uses TLS, pass ca_file)"
    return ""


def from_rpc_error(error, method, target, tls=False):
    """The SegueError subclass for a grpc.RpcError raised by ``method`` (e.g. 'Continue')."""
    code = error.code() if hasattr(error, "code") else None
    details = (error.details() if hasattr(error, "details") else None) or ""
    name = code.name if code is not None else "UNKNOWN"
    message = f"{method} on {target}: {name}: {details}{_hint(code, details, target, tls)}"
    return _BY_CODE.get(code, SegueError)(message, code=code, details=details, method=method, target=target)
