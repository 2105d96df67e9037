package dev.segue.pipelines;

import java.io.IOException;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The pipelines' inputs ({@code --mpd}, {@code --logs}, {@code --audio}) as paths of any Beam file system: a
 * local path, {@code file://}, {@code hdfs://} (Beam's Hadoop file system; the namenode comes from
 * {@code --hdfsConfiguration} or {@code HADOOP_CONF_DIR}), {@code s3://} (AWS SDK v2; region and credentials from
 * {@code --awsRegion} and the SDK's default chain) or {@code gs://}, globs included. Nothing here uses
 * {@code java.nio.file} on a path with a scheme: {@code Paths.get("gs://b/logs")} is the local relative path
 * {@code gs:/b/logs}.
 */
public final class InputPaths {
    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://");

    private InputPaths() {}

    /** The scheme of {@code spec} ({@code hdfs} of {@code hdfs://nn/x}), or null for a local path. */
    public static String scheme(String spec) {
        Matcher m = SCHEME.matcher(spec);
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }

    /** True when {@code spec} holds a glob ({@code *}, {@code ?} or {@code {a,b}}), as Beam's FileSystems reads it. */
    public static boolean isGlob(String spec) {
        return spec.indexOf('*') >= 0 || spec.indexOf('?') >= 0 || spec.indexOf('{') >= 0;
    }

    /** A local path made absolute (workers may run elsewhere); a path with a scheme as given. */
    public static String absolute(String spec) {
        return scheme(spec) != null ? spec : Paths.get(spec).toAbsolutePath().toString();
    }

    /** {@code name} (a file name or pattern) inside the folder {@code folder}, on the folder's file system. */
    public static String child(String folder, String name) {
        return (folder.endsWith("/") ? folder : folder + "/") + name;
    }

    /**
     * The files matching {@code spec} (a path or glob) on the file systems registered with {@code options}
     * (call before the pipeline is built: {@code Pipeline.create} registers them too). Bad input is one
     * {@link IllegalArgumentException} line naming {@code option} and {@code spec}: a scheme no file system is
     * registered for (with what hdfs:// and s3:// need), or a listing that failed.
     */
    public static List<MatchResult.Metadata> match(String option, String spec, PipelineOptions options) {
        FileSystems.setDefaultPipelineOptions(options);
        return match(option, spec);
    }

    /** {@link #match(String, String, PipelineOptions)} on the file systems already registered. */
    public static List<MatchResult.Metadata> match(String option, String spec) {
        try {
            return FileSystems.match(spec, EmptyMatchTreatment.ALLOW).metadata();
        } catch (IllegalArgumentException e) {
            String scheme = scheme(spec);
            if (scheme != null && e.getMessage() != null && e.getMessage().startsWith("No filesystem found")) {
                throw new IllegalArgumentException(option + " " + spec + ": " + noFileSystem(scheme), e);
            }
            throw new IllegalArgumentException(option + " " + spec + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + spec + ": cannot list it (" + oneLine(e) + ")", e);
        }
    }

    /** Why no file system serves {@code scheme}, and what would. */
    static String noFileSystem(String scheme) {
        return switch (scheme) {
            case "hdfs", "webhdfs", "viewfs" -> "no file system is registered for " + scheme + "://: give the "
                    + "namenode with --hdfsConfiguration='[{\"fs.defaultFS\":\"hdfs://HOST:PORT\"}]' or set "
                    + "HADOOP_CONF_DIR to a folder holding core-site.xml";
            default -> "no file system is registered for " + scheme + ":// (the pipelines read local paths, "
                    + "file://, hdfs://, s3:// and gs://)";
        };
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
