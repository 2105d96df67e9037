package dev.segue.serving.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * Drives a call from several caller threads, open loop at an offered rate (each caller keeps a fixed
 * schedule and latency counts from the scheduled start, so a slow answer also charges the calls it
 * delayed) or closed loop (rate 0: back to back). Samples taken during the warm-up are dropped.
 */
final class LoadRun {
    record Result(long completed, long errors, double seconds, double[] latenciesMs, double[] lateMs,
                  JvmActivity jvm, String firstError) {
        double throughput() {
            return completed / seconds;
        }

        String describe() {
            return String.format("completed %d (%.1f req/s), errors %d; latency ms p50 %.2f  p95 %.2f  p99 %.2f  max %.2f%s",
                    completed, throughput(), errors, Stats.percentile(latenciesMs, 0.50),
                    Stats.percentile(latenciesMs, 0.95), Stats.percentile(latenciesMs, 0.99),
                    Stats.percentile(latenciesMs, 1.0), firstError == null ? "" : "; first error: " + firstError)
                    + (lateMs.length == 0 ? "" : String.format("%n  caller woke late ms p50 %.2f  p99 %.2f  max %.2f",
                    Stats.percentile(lateMs, 0.50), Stats.percentile(lateMs, 0.99), Stats.percentile(lateMs, 1.0)))
                    + (jvm == null ? "" : String.format("%n  JVM meanwhile: %s", jvm.describe()));
        }
    }

    private LoadRun() {}

    /** {@code call} gets a running request number; it throws to count an error. */
    static Result run(int callers, double rate, double warmupSeconds, double seconds, IntConsumer call)
            throws InterruptedException {
        long start = System.nanoTime() + 50_000_000L;
        long measureFrom = start + (long) (warmupSeconds * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        long interval = rate > 0 ? (long) (1e9 * callers / rate) : 0;
        List<double[]> samples = new ArrayList<>();
        List<double[]> late = new ArrayList<>();
        int[] counts = new int[callers];
        AtomicLong errors = new AtomicLong();
        AtomicLong requestNo = new AtomicLong();
        String[] firstError = new String[1];
        JvmActivity[] atMeasureStart = new JvmActivity[1];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int caller = c;
            double[] mine = new double[1 << 20];
            double[] myLate = new double[1 << 20];
            samples.add(mine);
            late.add(myLate);
            Thread t = new Thread(() -> {
                long scheduled = start + (interval * caller) / callers;
                while (true) {
                    long now = System.nanoTime();
                    if (interval > 0) {
                        if (scheduled > now) {
                            sleepUntil(scheduled);
                        }
                    } else {
                        scheduled = now;
                    }
                    if (scheduled >= end) {
                        return;
                    }
                    if (caller == 0 && atMeasureStart[0] == null && scheduled >= measureFrom) {
                        atMeasureStart[0] = JvmActivity.now();
                    }
                    boolean ok = true;
                    long began = System.nanoTime();
                    try {
                        call.accept((int) requestNo.getAndIncrement());
                    } catch (RuntimeException e) {
                        ok = false;
                        synchronized (firstError) {
                            if (firstError[0] == null) {
                                firstError[0] = e.toString();
                            }
                        }
                    }
                    long done = System.nanoTime();
                    if (scheduled >= measureFrom) {
                        if (!ok) {
                            errors.incrementAndGet();
                        } else if (counts[caller] < mine.length) {
                            myLate[counts[caller]] = interval > 0 && now <= scheduled ? (began - scheduled) / 1e6 : 0;
                            mine[counts[caller]++] = (done - scheduled) / 1e6;
                        }
                    }
                    scheduled += interval;
                }
            }, "bench-caller-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        JvmActivity jvm = atMeasureStart[0] == null ? null : JvmActivity.since(atMeasureStart[0]);
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        double[] all = new double[total];
        double[] allLate = new double[interval > 0 ? total : 0];
        int at = 0;
        for (int c = 0; c < callers; c++) {
            System.arraycopy(samples.get(c), 0, all, at, counts[c]);
            if (interval > 0) {
                System.arraycopy(late.get(c), 0, allLate, at, counts[c]);
            }
            at += counts[c];
        }
        return new Result(total, errors.get(), seconds, all, allLate, jvm, firstError[0]);
    }

    private static void sleepUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            if (wait > 200_000) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait - 100_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
