package dev.segue.generator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Runs numbered tasks on a pool and hands their results to a consumer strictly in task order, with at most
 * {@code window} tasks in flight (bounded memory). Output is therefore independent of thread scheduling.
 */
final class OrderedTasks {
    interface Consumer<T> {
        void accept(T value) throws IOException;
    }

    private OrderedTasks() {}

    /** The task's result; its exception rethrown unwrapped (an interrupt becomes an IllegalStateException). */
    static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            if (c instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException(c);
        }
    }

    static <T> void run(ExecutorService pool, int count, int window, IntFunction<Callable<T>> task,
                        Consumer<T> consumer) throws IOException {
        ArrayDeque<Future<T>> inFlight = new ArrayDeque<>();
        int next = 0;
        try {
            while (next < count || !inFlight.isEmpty()) {
                while (next < count && inFlight.size() < window) {
                    inFlight.add(pool.submit(task.apply(next++)));
                }
                consumer.accept(await(inFlight.poll()));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            for (Future<T> f : inFlight) {
                f.cancel(true);
            }
        }
    }
}
