package dev.segue.serving.grpc;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Search slots, one per query computing at a time. A query waits for a slot at most until its deadline or
 * the configured queue time, so an overloaded server answers RESOURCE_EXHAUSTED or drops work whose caller
 * has gone instead of running it late.
 */
public final class QueryLimiter {
    private final Semaphore slots;
    private final int size;

    QueryLimiter(int size) {
        this.size = size;
        this.slots = new Semaphore(size, true);
    }

    public int size() {
        return size;
    }

    public int inUse() {
        return size - slots.availablePermits();
    }

    /** True when a slot was taken within {@code nanos}; the caller must {@link #release()} it. */
    boolean acquire(long nanos) throws InterruptedException {
        return slots.tryAcquire(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** True when a slot was free right now (never waits); the caller must {@link #release()} it. */
    boolean tryAcquireNow() {
        return slots.tryAcquire();
    }

    void release() {
        slots.release();
    }

    /** Takes every slot (tests: simulate a saturated server). */
    public void drainForTest() {
        slots.acquireUninterruptibly(size);
    }

    /** Whether a query is waiting for a slot (tests). */
    public boolean hasQueuedForTest() {
        return slots.hasQueuedThreads();
    }

    /** Gives back what {@link #drainForTest()} took. */
    public void refillForTest() {
        slots.release(size);
    }
}
