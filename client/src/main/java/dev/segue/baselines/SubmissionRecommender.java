package dev.segue.baselines;

import dev.segue.format.ChallengePlaylist;
import dev.segue.format.Submission;
import dev.segue.format.SubmissionFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * The ranked lists of a challenge submission CSV (read with {@link SubmissionFiles}): a file written by this
 * evaluator, a team's submission, or the generator's oracle ({@code segue oracle}). Read whole at
 * construction; URIs are interned so 10,000 × 500 entries stay small.
 */
public final class SubmissionRecommender implements Recommender {
    private final String name;
    private final String description;
    private final Path file;
    private final Map<Long, String[]> lists;
    private final List<String> teamInfo;

    /**
     * @param inChallenge which pids belong to the challenge; a line for another pid is an error
     * @throws dev.segue.format.FormatException a malformed line (file:line)
     * @throws IllegalArgumentException a pid outside the challenge or listed twice (file:line)
     */
    public SubmissionRecommender(String name, String description, Path file, LongPredicate inChallenge)
            throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "submission file not found");
        }
        this.name = name;
        this.description = description;
        this.file = file;
        this.lists = new HashMap<>();
        Map<Long, Long> lineOf = new HashMap<>();
        Map<String, String> interned = new HashMap<>();
        try (SubmissionFiles.Reader reader = SubmissionFiles.read(file)) {
            for (Submission s = reader.next(); s != null; s = reader.next()) {
                if (!inChallenge.test(s.pid())) {
                    throw new IllegalArgumentException(file + ":" + s.line() + ": pid " + s.pid()
                            + " is not in the challenge set (a submission for another challenge?)");
                }
                Long previous = lineOf.putIfAbsent(s.pid(), s.line());
                if (previous != null) {
                    throw new IllegalArgumentException(file + ":" + s.line() + ": pid " + s.pid()
                            + " was already listed on line " + previous);
                }
                String[] uris = new String[s.trackUris().size()];
                for (int i = 0; i < uris.length; i++) {
                    String uri = s.trackUris().get(i);
                    uris[i] = interned.computeIfAbsent(uri, u -> u);
                }
                lists.put(s.pid(), uris);
            }
            this.teamInfo = reader.teamInfo();
        }
    }

    public Path file() {
        return file;
    }

    public List<String> teamInfo() {
        return teamInfo;
    }

    public int playlists() {
        return lists.size();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<String> recommend(ChallengePlaylist playlist, int k) {
        String[] uris = lists.get(playlist.pid());
        if (uris == null) {
            throw new NoRecommendationException("pid " + playlist.pid() + " is not in " + file.getFileName());
        }
        return Arrays.asList(uris).subList(0, Math.min(k, uris.length));
    }
}
