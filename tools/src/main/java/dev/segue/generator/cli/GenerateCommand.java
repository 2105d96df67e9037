package dev.segue.generator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segue.generator.ChurnStyle;
import dev.segue.generator.Preset;
import dev.segue.generator.WorldGenerator;
import dev.segue.generator.WorldShape;
import dev.segue.generator.WorldSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code segue generate}: writes a realistic MPD-format world with a known ground truth. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate a realistic world in the real formats, with its ground truth:",
            "mpd/ slices, challenge/ set + truth, logs/, audio/tracks.csv, truth/ and stats.json (also printed).",
            "Same seed and sizes give byte-identical files."})
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created; must be empty unless --force).")
    Path out;

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "small",
            description = "World size: tiny (2,000 playlists), small (10,000), medium (100,000), mpd (1,000,000). Default: ${DEFAULT-VALUE}.")
    String preset;

    @Option(names = "--playlists", paramLabel = "N", description = "Number of playlists in the slices (overrides the preset's).")
    Integer playlists;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "World seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--per-category", paramLabel = "N",
            description = "Challenge playlists per category (default: 1%% of the playlists, at most 1,000).")
    Integer perCategory;

    @Option(names = "--users", paramLabel = "N", description = "Listeners in the logs (default: playlists / 5, 2,000 to 60,000).")
    Integer users;

    @Option(names = "--shape", paramLabel = "NAME", defaultValue = "theme",
            description = "Playlist shape: theme (one latent theme per playlist) or drift (a walk over related "
                    + "artists with popular tails and weak titles). Default: ${DEFAULT-VALUE}.")
    String shape;

    @Option(names = "--churn", paramLabel = "NAME", defaultValue = "abrupt",
            description = "Churn in the logs: abrupt (churners stop early, actives play on) or gradual (churners "
                    + "fade over weeks, actives pause). Default: ${DEFAULT-VALUE}.")
    String churn;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: min(2, cores)). Output does not depend on it.")
    Integer threads;

    @Option(names = "--force", description = "Overwrite the generator's files in a non-empty output folder.")
    boolean force;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar and no statistics on stdout.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        WorldSpec world = spec();
        int t = threads == null ? Math.min(2, Runtime.getRuntime().availableProcessors()) : threads;
        if (t < 1 || t > 64) {
            throw new ParameterException(spec.commandLine(), "--threads must be between 1 and 64, got " + t);
        }
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        ObjectNode stats;
        try {
            stats = WorldGenerator.generate(new WorldGenerator.Options(out, world, t, force, !quiet));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!quiet) {
            ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            spec.commandLine().getOut().println(m.writeValueAsString(stats));
        }
        err.printf(Locale.ROOT, "segue generate: wrote %,d playlists + %,d challenge playlists to %s in %.1f s%n",
                world.playlists(), world.challengePlaylists(), out, seconds);
        err.flush();
        return 0;
    }

    WorldSpec spec() {
        Preset p = preset(preset);
        int n = playlists == null ? p.playlists() : playlists;
        if (n < WorldSpec.MIN_PLAYLISTS || n > WorldSpec.MAX_PLAYLISTS) {
            throw new ParameterException(spec.commandLine(), "--playlists must be between " + WorldSpec.MIN_PLAYLISTS
                    + " and " + WorldSpec.MAX_PLAYLISTS + ", got " + n);
        }
        WorldSpec defaults = WorldSpec.of(seed, n);
        int per = perCategory == null ? defaults.challengePerCategory() : perCategory;
        if (per < 1 || per > 100_000) {
            throw new ParameterException(spec.commandLine(), "--per-category must be between 1 and 100000, got " + per);
        }
        int u = users == null ? defaults.users() : users;
        if (u < 1 || u > 10_000_000) {
            throw new ParameterException(spec.commandLine(), "--users must be between 1 and 10000000, got " + u);
        }
        try {
            return new WorldSpec(seed, n, per, u, WorldShape.parse(shape), ChurnStyle.parse(churn));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private Preset preset(String name) {
        for (Preset p : Preset.values()) {
            if (p.label().equals(name.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new ParameterException(spec.commandLine(), "unknown --preset '" + name
                + "' (choose tiny, small, medium or mpd)");
    }
}
