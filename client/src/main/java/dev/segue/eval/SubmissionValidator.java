package dev.segue.eval;

import dev.segue.format.ChallengePlaylist;
import dev.segue.format.FormatException;
import dev.segue.format.MpdTrack;
import dev.segue.format.Submission;
import dev.segue.format.SubmissionFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a submission CSV against the RecSys Challenge 2018 rules for a challenge set: a {@code team_info}
 * line first, then one line per challenge playlist with exactly 500 distinct track URIs, none of them a
 * seed of that playlist, every challenge pid exactly once and no other pid. Collects every violation with
 * its line instead of stopping at the first.
 */
public final class SubmissionValidator {
    public static final int REQUIRED_TRACKS = 500;
    static final String TRACK_PREFIX = "spotify:track:";

    /** One broken rule; {@code line} is 0 for violations of the file as a whole (a missing pid). */
    public record Violation(long line, String message) {
        @Override
        public String toString() {
            return line > 0 ? "line " + line + ": " + message : message;
        }
    }

    /** The outcome: the lines checked and every violation in file order (file-wide ones last). */
    public record Result(Path file, long playlistLines, List<Violation> violations) {
        public boolean valid() {
            return violations.isEmpty();
        }
    }

    private final int requiredTracks;

    public SubmissionValidator() {
        this(REQUIRED_TRACKS);
    }

    public SubmissionValidator(int requiredTracks) {
        this.requiredTracks = requiredTracks;
    }

    public Result validate(Path submission, List<ChallengePlaylist> challenge) throws IOException {
        EvaluationSet.requireFile(submission, "submission");
        Map<Long, ChallengePlaylist> byPid = new HashMap<>(challenge.size() * 2);
        for (ChallengePlaylist p : challenge) {
            byPid.put(p.pid(), p);
        }
        List<Violation> violations = new ArrayList<>();
        Map<Long, Long> seenOn = new HashMap<>();
        long lines = 0;
        try (SubmissionFiles.Reader reader = SubmissionFiles.read(submission)) {
            while (true) {
                Submission s;
                try {
                    s = reader.next();
                } catch (FormatException e) {
                    if (reader.teamInfo() == null) {
                        // without its team_info line the file is not a submission; the reader cannot go on
                        violations.add(new Violation(e.line(), "the first line must be 'team_info,<team name>,"
                                + "<contact email>' (the rest of the file was not checked)"));
                        return new Result(submission, lines, violations);
                    }
                    violations.add(new Violation(e.line(), reason(e)));
                    lines++;
                    continue;
                }
                if (s == null) {
                    break;
                }
                lines++;
                check(s, byPid, seenOn, violations);
            }
            List<String> team = reader.teamInfo();
            if (team != null && (team.isEmpty() || team.get(0).isBlank())) {
                violations.add(0, new Violation(1, "team_info has no team name"));
            }
        }
        List<Long> missing = new ArrayList<>();
        for (ChallengePlaylist p : challenge) {
            if (!seenOn.containsKey(p.pid())) {
                missing.add(p.pid());
            }
        }
        for (long pid : missing) {
            violations.add(new Violation(0, "challenge pid " + pid + " has no line"));
        }
        return new Result(submission, lines, violations);
    }

    private void check(Submission s, Map<Long, ChallengePlaylist> byPid, Map<Long, Long> seenOn,
                       List<Violation> out) {
        ChallengePlaylist playlist = byPid.get(s.pid());
        if (playlist == null) {
            out.add(new Violation(s.line(), "pid " + s.pid() + " is not in the challenge set"));
        } else {
            Long first = seenOn.putIfAbsent(s.pid(), s.line());
            if (first != null) {
                out.add(new Violation(s.line(), "pid " + s.pid() + " was already listed on line " + first));
            }
        }
        List<String> uris = s.trackUris();
        Set<String> distinct = new HashSet<>(uris.size() * 2);
        Set<String> repeated = new LinkedHashSet<>();
        List<String> malformed = new ArrayList<>();
        for (String uri : uris) {
            if (!distinct.add(uri)) {
                repeated.add(uri);
            }
            if (!uri.startsWith(TRACK_PREFIX) || uri.length() == TRACK_PREFIX.length()) {
                malformed.add(uri.isEmpty() ? "(empty)" : uri);
            }
        }
        if (distinct.size() != requiredTracks || uris.size() != requiredTracks) {
            out.add(new Violation(s.line(), "pid " + s.pid() + " has " + distinct.size() + " distinct tracks ("
                    + uris.size() + " listed); exactly " + requiredTracks + " are required"));
        }
        if (!repeated.isEmpty()) {
            out.add(new Violation(s.line(), "pid " + s.pid() + " repeats " + repeated.size() + " track(s): "
                    + sample(repeated)));
        }
        if (!malformed.isEmpty()) {
            out.add(new Violation(s.line(), "pid " + s.pid() + " has " + malformed.size()
                    + " value(s) that are not track URIs (" + TRACK_PREFIX + "…): " + sample(malformed)));
        }
        if (playlist != null) {
            Set<String> seeds = new HashSet<>();
            for (MpdTrack t : playlist.tracks()) {
                seeds.add(t.trackUri());
            }
            Set<String> included = new LinkedHashSet<>();
            for (String uri : uris) {
                if (seeds.contains(uri)) {
                    included.add(uri);
                }
            }
            if (!included.isEmpty()) {
                out.add(new Violation(s.line(), "pid " + s.pid() + " includes " + included.size()
                        + " seed track(s) of the playlist: " + sample(included)));
            }
        }
    }

    private static String reason(FormatException e) {
        String m = e.getMessage();
        int at = m.indexOf(": ");
        return at >= 0 ? m.substring(at + 2) : m;
    }

    private static String sample(Iterable<String> items) {
        StringBuilder s = new StringBuilder();
        int n = 0;
        for (String item : items) {
            if (n == 3) {
                return s.append(", …").toString();
            }
            s.append(n++ == 0 ? "" : ", ").append(item);
        }
        return s.toString();
    }
}
