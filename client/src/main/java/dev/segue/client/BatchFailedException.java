package dev.segue.client;

import dev.segue.api.v1.ContinueRequest;
import dev.segue.api.v1.ContinueResponse;
import io.grpc.Status;
import java.util.List;

/** Some requests of a blocking batch failed; {@link #answers()} holds the rest (null where failed). */
public final class BatchFailedException extends RuntimeException {
    /** One failed request and its position in the batch. */
    public record Failure(int index, ContinueRequest request, Status status) {}

    private final transient List<Failure> failures;
    private final transient List<ContinueResponse> answers;

    BatchFailedException(List<Failure> failures, List<ContinueResponse> answers) {
        super(failures.size() + " of " + answers.size() + " requests failed; first: #" + failures.get(0).index()
                + " " + failures.get(0).status().getCode() + ": " + failures.get(0).status().getDescription());
        this.failures = List.copyOf(failures);
        this.answers = answers;
    }

    public List<Failure> failures() {
        return failures;
    }

    public List<ContinueResponse> answers() {
        return answers;
    }
}
