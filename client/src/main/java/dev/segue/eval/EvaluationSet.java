package dev.segue.eval;

import dev.segue.format.ChallengeCategory;
import dev.segue.format.ChallengePlaylist;
import dev.segue.format.MpdFiles;
import dev.segue.format.MpdTrack;
import dev.segue.format.TruthPlaylist;
import dev.segue.metrics.ArtistLookup;
import dev.segue.metrics.PlaylistTruth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A challenge set joined with its truth: the playlists in challenge order, each with its prepared truth and
 * category. Also the artist of every track the two files mention, which resolves most recommended tracks'
 * artists when a method gives none (a submission file has only track URIs).
 */
public final class EvaluationSet implements ArtistLookup {
    private final Path challengeFile;
    private final Path truthFile;
    private final List<ChallengePlaylist> playlists;
    private final PlaylistTruth[] truths;
    private final ChallengeCategory[] categories;
    private final Map<Long, Integer> indexByPid;
    private final Map<String, String> artists;

    private EvaluationSet(Path challengeFile, Path truthFile, List<ChallengePlaylist> playlists,
                          PlaylistTruth[] truths, ChallengeCategory[] categories, Map<Long, Integer> indexByPid,
                          Map<String, String> artists) {
        this.challengeFile = challengeFile;
        this.truthFile = truthFile;
        this.playlists = List.copyOf(playlists);
        this.truths = truths;
        this.categories = categories;
        this.indexByPid = indexByPid;
        this.artists = artists;
    }

    /**
     * Reads and joins the two files.
     *
     * @throws dev.segue.format.FormatException a malformed file (names file, line and column)
     * @throws BadInputException a missing file, duplicate pids, or pids present in one file and not the other
     */
    public static EvaluationSet load(Path challengeFile, Path truthFile) throws IOException {
        requireFile(challengeFile, "challenge set");
        requireFile(truthFile, "truth file");
        List<ChallengePlaylist> playlists = MpdFiles.readChallengeSet(challengeFile);
        List<TruthPlaylist> truth = MpdFiles.readTruthFile(truthFile);
        return of(challengeFile, truthFile, playlists, truth);
    }

    /** Joins already-read playlists and truth (same checks as {@link #load}). */
    public static EvaluationSet of(Path challengeFile, Path truthFile, List<ChallengePlaylist> playlists,
                                   List<TruthPlaylist> truth) {
        if (playlists.isEmpty()) {
            throw new BadInputException(challengeFile + ": the challenge set has no playlists");
        }
        Map<Long, Integer> indexByPid = new HashMap<>(playlists.size() * 2);
        Map<String, String> artists = new HashMap<>();
        for (int i = 0; i < playlists.size(); i++) {
            ChallengePlaylist p = playlists.get(i);
            if (indexByPid.put(p.pid(), i) != null) {
                throw new BadInputException(challengeFile + ": playlist #" + i + ": pid " + p.pid()
                        + " appears more than once in the challenge set");
            }
            remember(artists, p.tracks());
        }
        PlaylistTruth[] truths = new PlaylistTruth[playlists.size()];
        ChallengeCategory[] categories = new ChallengeCategory[playlists.size()];
        List<Long> unknown = new ArrayList<>();
        for (int j = 0; j < truth.size(); j++) {
            TruthPlaylist t = truth.get(j);
            Integer i = indexByPid.get(t.pid());
            if (i == null) {
                unknown.add(t.pid());
                continue;
            }
            if (truths[i] != null) {
                throw new BadInputException(truthFile + ": playlist #" + j + ": pid " + t.pid()
                        + " appears more than once in the truth file");
            }
            if (t.holdouts().isEmpty()) {
                throw new BadInputException(truthFile + ": playlist #" + j + ": pid " + t.pid()
                        + " has no held-out tracks (the metrics are undefined)");
            }
            truths[i] = PlaylistTruth.of(t.holdouts());
            // the truth file's category (set by whoever built the challenge) wins; else infer it from the seeds
            categories[i] = t.category() >= 1 && t.category() <= ChallengeCategory.values().length
                    ? ChallengeCategory.byId(t.category()) : playlists.get(i).category();
            remember(artists, t.holdouts());
        }
        if (!unknown.isEmpty()) {
            throw new BadInputException(truthFile + ": " + unknown.size() + " pid(s) are not in the challenge set "
                    + challengeFile + ", e.g. " + sample(unknown) + " — are the two files from the same challenge?");
        }
        List<Long> missing = new ArrayList<>();
        for (int i = 0; i < truths.length; i++) {
            if (truths[i] == null) {
                missing.add(playlists.get(i).pid());
            }
        }
        if (!missing.isEmpty()) {
            throw new BadInputException(truthFile + ": no truth for " + missing.size() + " challenge pid(s), e.g. "
                    + sample(missing) + " — are the two files from the same challenge?");
        }
        return new EvaluationSet(challengeFile, truthFile, playlists, truths, categories, indexByPid, artists);
    }

    static void requireFile(Path file, String what) throws IOException {
        if (file == null) {
            throw new BadInputException("no " + what + " given");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, what + " not found");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new BadInputException(file + ": the " + what + " is not a readable file");
        }
    }

    private static void remember(Map<String, String> artists, List<MpdTrack> tracks) {
        for (MpdTrack t : tracks) {
            if (t.trackUri() != null && t.artistUri() != null) {
                artists.putIfAbsent(t.trackUri(), t.artistUri());
            }
        }
    }

    private static String sample(List<Long> pids) {
        return pids.stream().limit(5).map(String::valueOf).collect(Collectors.joining(", "))
                + (pids.size() > 5 ? ", …" : "");
    }

    public Path challengeFile() {
        return challengeFile;
    }

    public Path truthFile() {
        return truthFile;
    }

    public int size() {
        return playlists.size();
    }

    public List<ChallengePlaylist> playlists() {
        return playlists;
    }

    public ChallengePlaylist playlist(int i) {
        return playlists.get(i);
    }

    public PlaylistTruth truth(int i) {
        return truths[i];
    }

    public ChallengeCategory category(int i) {
        return categories[i];
    }

    /** Index of a pid in challenge order, or -1. */
    public int indexOf(long pid) {
        Integer i = indexByPid.get(pid);
        return i == null ? -1 : i;
    }

    /** Playlists per category, in category order. */
    public Map<ChallengeCategory, Integer> categoryCounts() {
        Map<ChallengeCategory, Integer> out = new java.util.EnumMap<>(ChallengeCategory.class);
        for (ChallengeCategory c : categories) {
            out.merge(c, 1, Integer::sum);
        }
        return out;
    }

    @Override
    public String artistOf(String trackUri) {
        return artists.get(trackUri);
    }
}
