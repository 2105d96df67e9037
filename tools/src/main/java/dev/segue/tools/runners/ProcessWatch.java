package dev.segue.tools.runners;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Peak resident memory (the kernel's {@code VmHWM}) and CPU time ({@code utime + stime}) of named processes, polled
 * from {@code /proc} while they run, so the last figures before a process exits are kept. Linux only; elsewhere the
 * figures stay 0.
 */
final class ProcessWatch implements AutoCloseable {
    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux

    /** Peak RSS (bytes) and CPU seconds of one process. */
    record Usage(long peakRss, double cpuSeconds) {}

    private final Supplier<Map<String, ProcessHandle>> processes;
    private final Map<String, Usage> usage = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean stop;

    /** Starts polling {@code processes} (asked again every poll, so late ones join) every {@code periodMs}. */
    ProcessWatch(Supplier<Map<String, ProcessHandle>> processes, long periodMs) {
        this.processes = processes;
        thread = new Thread(() -> {
            while (!stop) {
                poll();
                try {
                    Thread.sleep(periodMs);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "process-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** One poll now (also the last one, before processes that are still alive are stopped). */
    void poll() {
        for (Map.Entry<String, ProcessHandle> p : processes.get().entrySet()) {
            Usage u = read(p.getValue().pid());
            if (u != null) {
                usage.merge(p.getKey(), u, (a, b) -> new Usage(Math.max(a.peakRss(), b.peakRss()),
                        Math.max(a.cpuSeconds(), b.cpuSeconds())));
            }
        }
    }

    /** The figures so far, by process name, in the order the names were first seen. */
    Map<String, Usage> usage(List<String> order) {
        Map<String, Usage> m = new LinkedHashMap<>();
        for (String name : order) {
            if (usage.containsKey(name)) {
                m.put(name, usage.get(name));
            }
        }
        return m;
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** VmHWM and utime + stime of {@code pid}, or null when it is gone or /proc is not there. */
    static Usage read(long pid) {
        try {
            long hwm = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    hwm = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name (which may hold spaces) in parentheses; utime, stime are fields 14, 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
            return new Usage(hwm, cpu);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
