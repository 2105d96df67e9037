package dev.segue.bench.spark;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * The measurements both sides of {@code segue bench als} take of their own JVM, so Segue's fit (in {@code tools/})
 * and Spark's (in its child JVM, {@link SparkAlsPeer}) are measured the same way: the process CPU time and the
 * peak heap in use. Free of Spark classes, like {@link AlsExchange}: {@code tools/} uses it on its own class path.
 */
public final class JvmMeter {
    private JvmMeter() {}

    /** CPU time of this JVM, all threads (GC and JIT included; a loaded machine inflates it far less than wall time). */
    public static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Collects garbage, then restarts the heap pools' peak counters (the start of a {@link #peakHeap} window). */
    public static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    /** The sum of the heap pools' peaks since {@link #resetPeaks} (an upper bound of the peak heap in use). */
    public static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
