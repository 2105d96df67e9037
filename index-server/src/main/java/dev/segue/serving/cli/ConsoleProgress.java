package dev.segue.serving.cli;

import dev.segue.serving.index.BuildProgress;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr for graph builds, created on the first update (a graph loaded from disk shows
 * none) and closed at 100%. Without a terminal it prints a plain line every few seconds instead.
 */
final class ConsoleProgress implements BuildProgress, AutoCloseable {
    private final String task;
    private final PrintStream out;
    private ProgressBar bar;

    ConsoleProgress(String task, PrintStream out) {
        this.task = task;
        this.out = out;
    }

    @Override
    public synchronized void update(long done, long total) {
        if (bar == null && done < total) {
            ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" items", 1).showSpeed();
            if (System.console() != null) {
                b.setConsumer(new ConsoleProgressBarConsumer(out)).setUpdateIntervalMillis(500);
            } else {
                b.setConsumer(new DelegatingProgressBarConsumer(out::println)).setUpdateIntervalMillis(10_000);
            }
            bar = b.build();
        }
        if (bar != null) {
            bar.stepTo(done);
            if (done >= total) {
                close();
            }
        }
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
