package dev.segue.serving.index;

/** Told how many items of the graph are inserted; called from builder threads. */
@FunctionalInterface
public interface BuildProgress {
    BuildProgress NONE = (done, total) -> { };

    void update(long done, long total);
}
