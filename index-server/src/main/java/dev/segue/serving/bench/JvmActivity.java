package dev.segue.serving.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * What the JVM itself did during a measured window: JIT compiler time and garbage collections. On a
 * 2-core machine both take a core from the server and callers, so a latency tail that coincides with
 * them is the JVM warming up or collecting, not the request path.
 */
record JvmActivity(long jitMillis, long gcCount, long gcMillis) {
    /** The JVM's totals since it started; {@link #since} turns two of them into a window's activity. */
    static JvmActivity now() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long jitMillis = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new JvmActivity(jitMillis, count, millis);
    }

    /** What happened between the totals {@code start} and now. */
    static JvmActivity since(JvmActivity start) {
        JvmActivity now = now();
        return new JvmActivity(now.jitMillis - start.jitMillis, now.gcCount - start.gcCount,
                now.gcMillis - start.gcMillis);
    }

    String describe() {
        return String.format("JIT compiling %d ms (all compiler threads), %d GC collections %d ms", jitMillis,
                gcCount, gcMillis);
    }
}
