package dev.segue.serving.index;

/** Polled by long loops so that work stops once the caller has given up. */
@FunctionalInterface
public interface Cancellation {
    Cancellation NEVER = () -> false;

    boolean isCancelled();

    /** Throws {@link CancelledException} when cancelled. */
    default void check() {
        if (isCancelled()) {
            throw new CancelledException();
        }
    }

    /** The caller gave up (deadline passed or call cancelled); the partial work is dropped. */
    final class CancelledException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CancelledException() {
            super("the caller cancelled the request or its deadline passed", null, false, false);
        }
    }
}
