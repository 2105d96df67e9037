package dev.segue.serving.bench;

import dev.segue.math.VectorUtil;
import java.util.Arrays;

/** Order statistics over recorded samples. */
final class Stats {
    private Stats() {}

    static double median(double[] values) {
        return percentile(values, 0.5);
    }

    /** Nearest-rank percentile. */
    static double percentile(double[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** The machine, and the dot product every score uses (scalar without the Vector API module: half the speed). */
    static String machine() {
        Runtime rt = Runtime.getRuntime();
        return String.format("%d cores, Java %s (%s), max heap %d MB, %s, dot product %s", rt.availableProcessors(),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), rt.maxMemory() >> 20,
                System.getProperty("os.arch"), VectorUtil.implementation());
    }
}
