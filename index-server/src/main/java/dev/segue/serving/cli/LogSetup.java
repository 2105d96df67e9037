package dev.segue.serving.cli;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.io.OutputStream;
import java.util.Iterator;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The server's logging, one format per process: logback configured by {@code logback.xml} (plain
 * {@code time LEVEL logger: message key=value} lines on stderr), switched here to the access log on or off
 * and, on request, to JSON lines (logback's {@link JsonEncoder}: the access-log fields under {@code kvpList}).
 */
public final class LogSetup {
    /** The values of {@code --access-log}. */
    public enum AccessLogMode { off, plain, json }

    private LogSetup() {}

    /** Applies {@code mode} to the running logback configuration; a no-op under another SLF4J backend. */
    public static void apply(AccessLogMode mode) {
        apply(mode, null);
    }

    /**
     * Like {@link #apply(AccessLogMode)}; with {@code sink} non-null the lines go there instead of stderr (the
     * benchmark writes its access log to a file).
     */
    public static void apply(AccessLogMode mode, OutputStream sink) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return;
        }
        ch.qos.logback.classic.Logger access = context.getLogger("segue.access");
        access.setLevel(mode == AccessLogMode.off ? Level.OFF : Level.INFO);
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        String pattern = null;
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> out) {
                if (out.getEncoder() instanceof PatternLayoutEncoder p) {
                    pattern = p.getPattern();
                }
                if (mode == AccessLogMode.json) {
                    swap(out, json(context));
                }
            }
        }
        if (sink != null && mode != AccessLogMode.off) {
            Encoder<ILoggingEvent> encoder;
            if (mode == AccessLogMode.json || pattern == null) {
                encoder = json(context);
            } else {
                PatternLayoutEncoder p = new PatternLayoutEncoder();
                p.setContext(context);
                p.setPattern(pattern);
                p.start();
                encoder = p;
            }
            OutputStreamAppender<ILoggingEvent> file = new OutputStreamAppender<>();
            file.setContext(context);
            file.setName("access-sink");
            file.setEncoder(encoder);
            file.setImmediateFlush(false);
            file.setOutputStream(sink);
            file.start();
            // Queued like the configured access log (logback.xml): the calling thread does no I/O.
            AsyncAppender async = new AsyncAppender();
            async.setContext(context);
            async.setName("access-sink-async");
            async.setQueueSize(8192);
            async.setDiscardingThreshold(0);
            async.addAppender(file);
            async.start();
            access.detachAndStopAllAppenders();
            access.setAdditive(false);
            access.addAppender(async);
        }
    }

    private static JsonEncoder json(LoggerContext context) {
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        // One self-contained object a line: the formatted message, not the template and its arguments apart.
        json.setWithFormattedMessage(true);
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.setWithContext(false);
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.start();
        return json;
    }

    private static void swap(OutputStreamAppender<ILoggingEvent> out, Encoder<ILoggingEvent> encoder) {
        out.stop();
        Encoder<ILoggingEvent> old = out.getEncoder();
        out.setEncoder(encoder);
        out.start();
        if (old != null) {
            old.stop();
        }
    }

    /** Writes out what is queued and stops logging (the end of {@code segue serve}'s shutdown hook). */
    public static void stop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }

    /**
     * Back to the configuration of {@code logback.xml} (the benchmark, when it is done). Stopping the old appenders
     * writes out the lines still queued for the access log.
     */
    public static void reset() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            context.reset();
            try {
                new ch.qos.logback.classic.util.ContextInitializer(context).autoConfig();
            } catch (Exception e) {
                throw new IllegalStateException("cannot restore the logging configuration: " + e.getMessage(), e);
            }
        }
    }
}
