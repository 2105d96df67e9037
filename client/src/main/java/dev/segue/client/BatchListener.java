package dev.segue.client;

import dev.segue.api.v1.ContinueRequest;
import dev.segue.api.v1.ContinueResponse;
import io.grpc.Status;

/**
 * Receives the outcome of each request of a batch, exactly once per request. Called from gRPC threads,
 * possibly concurrently from different streams: implementations must be thread-safe.
 */
public interface BatchListener {
    /** An answer; {@code response} never carries an error here. */
    void onResponse(ContinueRequest request, ContinueResponse response);

    /** The request failed: the server's per-request error, or the stream's failure. */
    void onFailure(ContinueRequest request, Status status);
}
