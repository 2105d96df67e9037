package dev.segue.generator.cli;

import dev.segue.generator.Oracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code segue oracle}: the ceiling submission for a generated world. */
@Command(name = "oracle", mixinStandardHelpOptions = true,
        description = {"Rank, for each challenge playlist of a generated world, all tracks by their true probability",
            "under the playlist's latent theme (seeds excluded) and write the top 500 as a challenge submission CSV."})
public final class OracleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--world", required = true, paramLabel = "DIR", description = "A folder written by 'segue generate'.")
    Path world;

    @Option(names = "--challenge", paramLabel = "DIR",
            description = "Folder with challenge_set.json and truth.json (default: WORLD/challenge; e.g. the output of 'segue challenge' on WORLD/mpd).")
    Path challenge;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Submission CSV to write.")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing output file.")
    boolean force;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: min(2, cores)).")
    Integer threads;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        int t = threads == null ? Math.min(2, Runtime.getRuntime().availableProcessors()) : threads;
        if (t < 1 || t > 64) {
            throw new ParameterException(spec.commandLine(), "--threads must be between 1 and 64, got " + t);
        }
        if (!Files.isDirectory(world)) {
            throw new ParameterException(spec.commandLine(), "--world " + world + " is not a folder");
        }
        if (Files.exists(out) && !force) {
            throw new ParameterException(spec.commandLine(), "output " + out + " exists (use --force to overwrite)");
        }
        if (Files.isDirectory(out)) {
            throw new ParameterException(spec.commandLine(), "output " + out + " is a folder");
        }
        long start = System.nanoTime();
        int n;
        try {
            if (!Files.isRegularFile(world.resolve("truth/world.json"))) {
                throw new IllegalArgumentException("not a generated world (no " + world.resolve("truth/world.json") + ")");
            }
            Path dir = challenge != null ? challenge : world.resolve("challenge");
            if (!Files.isRegularFile(dir.resolve("challenge_set.json")) || !Files.isRegularFile(dir.resolve("truth.json"))) {
                throw new IllegalArgumentException("no challenge_set.json and truth.json in " + dir);
            }
            n = Oracle.run(world, dir, out, t, !quiet);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (dev.segue.format.FormatException e) {
            spec.commandLine().getErr().println("segue oracle: " + e.getMessage());
            return 2;
        }
        spec.commandLine().getErr().printf(Locale.ROOT, "segue oracle: ranked %,d challenge playlists into %s in %.1f s%n",
                n, out, (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
