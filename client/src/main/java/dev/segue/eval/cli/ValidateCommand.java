package dev.segue.eval.cli;

import dev.segue.eval.BadInputException;
import dev.segue.eval.SubmissionValidator;
import dev.segue.format.ChallengePlaylist;
import dev.segue.format.MpdFiles;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code segue submission validate FILE --challenge FILE}: every rule violation, by line. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check a submission against the challenge's rules: a team_info line, exactly 500 distinct "
                + "track URIs per playlist, no seed tracks, every challenge pid exactly once.",
                "Exit code: 0 valid, 1 violations found (each printed with its line), 2 unreadable input."})
public final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the submission CSV")
    Path submission;

    @Option(names = "--challenge", required = true, paramLabel = "FILE", description = "challenge_set.json")
    Path challenge;

    @Option(names = "--tracks", defaultValue = "500", hidden = true)
    int tracks;

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        return CliErrors.run("submission validate", spec.commandLine().getErr(), verbose, () -> {
            if (!Files.exists(challenge)) {
                throw new NoSuchFileException(challenge.toString(), null, "challenge set not found");
            }
            if (tracks < 1) {
                throw new BadInputException("--tracks must be at least 1");
            }
            List<ChallengePlaylist> playlists = MpdFiles.readChallengeSet(challenge);
            SubmissionValidator.Result result = new SubmissionValidator(tracks).validate(submission, playlists);
            for (SubmissionValidator.Violation v : result.violations()) {
                out.println(submission + (v.line() > 0 ? ":" + v.line() : "") + ": " + v.message());
            }
            if (result.valid()) {
                out.println(submission + ": valid (" + result.playlistLines() + " playlists, " + tracks
                        + " tracks each)");
                out.flush();
                return 0;
            }
            out.println(submission + ": " + result.violations().size() + " violation(s) in "
                    + result.playlistLines() + " playlist line(s)");
            out.flush();
            return 1;
        });
    }
}
