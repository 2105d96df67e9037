package dev.segue.generator.cli;

import dev.segue.format.FormatException;
import dev.segue.generator.SliceChallengeBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code segue challenge}: a challenge set from any folder of MPD slices, real MPD included. */
@Command(name = "challenge", mixinStandardHelpOptions = true,
        description = {"Build challenge/challenge_set.json and challenge/truth.json from a folder of MPD slices",
            "following MPD's ten categories (and their playlist-length bands), and write the remaining",
            "playlists as training slices under OUT/mpd/ with the same file names."})
public final class ChallengeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--mpd", required = true, paramLabel = "DIR", description = "Folder of mpd.slice.<a>-<b>.json files.")
    Path mpd;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (must be empty unless --force).")
    Path out;

    @Option(names = "--per-category", paramLabel = "N", defaultValue = "1000",
            description = "Challenge playlists per category. Default: ${DEFAULT-VALUE} (MPD's 10,000 in total).")
    int perCategory;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Selection and split seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--force", description = "Overwrite mpd/ and challenge/ in a non-empty output folder.")
    boolean force;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        long start = System.nanoTime();
        SliceChallengeBuilder.Result r;
        try {
            r = SliceChallengeBuilder.build(mpd, out, perCategory, seed, force, !quiet);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (FormatException e) {
            spec.commandLine().getErr().println("segue challenge: " + e.getMessage());
            return 2;
        }
        spec.commandLine().getOut().printf(Locale.ROOT,
                "challenge: %,d playlists (%,d per category), %,d seed and %,d held-out tracks; training: %,d playlists in %d slices;"
                        + " %,d challenge track entries not in training%n",
                r.challenge(), perCategory, r.seedTracks(), r.holdoutTracks(), r.training(), r.slices(),
                r.challengeTracksNotInTraining());
        spec.commandLine().getErr().printf(Locale.ROOT, "segue challenge: wrote %s in %.1f s%n", out,
                (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
