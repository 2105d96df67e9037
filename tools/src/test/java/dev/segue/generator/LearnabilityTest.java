package dev.segue.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.format.ChallengePlaylist;
import dev.segue.format.MpdFiles;
import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.format.PlaylistArrayReader;
import dev.segue.format.Submission;
import dev.segue.format.SubmissionFiles;
import dev.segue.format.TitleNormalizer;
import dev.segue.format.TruthPlaylist;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The world is learnable and the oracle is its ceiling: on the challenge, simple collaborative signals
 * (seed co-occurrence; tracks of training playlists with the same normalised title) find far more held-out
 * tracks in their first |holdouts| recommendations than the most popular tracks do, and the oracle finds
 * more than either. Counting hits here is a property check of the data, not the project's metric code.
 */
class LearnabilityTest {
    private static final Map<String, Integer> ids = new HashMap<>();
    private static final List<int[]> playlists = new ArrayList<>();
    private static final List<String> titles = new ArrayList<>();
    private static List<ChallengePlaylist> challenge;
    private static final Map<Long, TruthPlaylist> truth = new HashMap<>();
    private static final Map<Long, List<String>> oracle = new HashMap<>();
    private static int[] popularity;
    private static Integer[] byPopularity;
    private static String[] uri;

    @BeforeAll
    static void load() throws IOException {
        Path world = TestWorlds.shared();
        for (Path s : MpdFiles.listSlices(world.resolve("mpd"))) {
            try (PlaylistArrayReader<MpdPlaylist> r = MpdFiles.readSlice(s)) {
                for (MpdPlaylist p = r.next(); p != null; p = r.next()) {
                    int[] t = new int[p.tracks().size()];
                    for (int i = 0; i < t.length; i++) {
                        t[i] = ids.computeIfAbsent(p.tracks().get(i).trackUri(), k -> ids.size());
                    }
                    playlists.add(t);
                    titles.add(TitleNormalizer.normalize(p.name()));
                }
            }
        }
        popularity = new int[ids.size()];
        uri = new String[ids.size()];
        ids.forEach((k, v) -> uri[v] = k);
        for (int[] p : playlists) {
            for (int t : p) {
                popularity[t]++;
            }
        }
        byPopularity = new Integer[ids.size()];
        Arrays.setAll(byPopularity, i -> i);
        Arrays.sort(byPopularity, (a, b) -> popularity[b] != popularity[a] ? popularity[b] - popularity[a] : a - b);
        challenge = MpdFiles.readChallengeSet(world.resolve("challenge/challenge_set.json"));
        for (TruthPlaylist t : MpdFiles.readTruthFile(world.resolve("challenge/truth.json"))) {
            truth.put(t.pid(), t);
        }
        Path submission = world.resolveSibling("oracle.csv");
        Oracle.run(world, submission, 2, false);
        try (SubmissionFiles.Reader r = SubmissionFiles.read(submission)) {
            for (Submission s = r.next(); s != null; s = r.next()) {
                oracle.put(s.pid(), s.trackUris());
            }
        }
    }

    @Test
    void coOccurrenceBeatsPopularityByAWideMargin() {
        double[] found = score(c -> c.numSamples() > 0, LearnabilityTest::coOccurrence);
        assertTrue(found[1] > 2.5 * found[0], "co-occurrence " + found[1] + " vs most popular " + found[0]);
    }

    @Test
    void titlesAloneBeatPopularity() {
        double[] found = score(c -> c.numSamples() == 0, LearnabilityTest::sameTitle);
        assertTrue(found[1] > 1.5 * found[0], "same title " + found[1] + " vs most popular " + found[0]);
    }

    @Test
    void oracleIsTheCeiling() {
        assertEquals(challenge.size(), oracle.size());
        double[] co = score(c -> c.numSamples() > 0, LearnabilityTest::coOccurrence);
        double[] or = score(c -> c.numSamples() > 0, (c, seeds) -> null);
        assertTrue(or[1] > co[1], "oracle " + or[1] + " vs co-occurrence " + co[1]);
        for (ChallengePlaylist c : challenge) {
            List<String> list = oracle.get(c.pid());
            assertEquals(Oracle.LIST_LENGTH, list.size());
            assertEquals(Oracle.LIST_LENGTH, new HashSet<>(list).size(), "no duplicates");
            for (MpdTrack s : c.tracks()) {
                assertTrue(!list.contains(s.trackUri()), "seeds excluded");
            }
        }
    }

    interface Scorer {
        /** Scores per training track id, or null to use the oracle's list. */
        double[] scores(ChallengePlaylist c, Set<Integer> seeds);
    }

    interface Filter {
        boolean test(ChallengePlaylist c);
    }

    /** Mean share of held-out tracks found in the first |holdouts| recommendations: [popular, scorer]. */
    private static double[] score(Filter filter, Scorer scorer) {
        double[] sum = new double[2];
        int n = 0;
        for (ChallengePlaylist c : challenge) {
            if (!filter.test(c)) {
                continue;
            }
            Set<String> held = new HashSet<>();
            for (MpdTrack h : truth.get(c.pid()).holdouts()) {
                held.add(h.trackUri());
            }
            Set<Integer> seeds = new HashSet<>();
            for (MpdTrack s : c.tracks()) {
                Integer id = ids.get(s.trackUri());
                if (id != null) {
                    seeds.add(id);
                }
            }
            sum[0] += found(top(byPopularity, seeds, held.size()), held);
            double[] s = scorer.scores(c, seeds);
            if (s == null) {
                List<String> list = oracle.get(c.pid());
                sum[1] += found(list.subList(0, Math.min(held.size(), list.size())), held);
            } else {
                Integer[] order = byPopularity.clone();
                Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
                sum[1] += found(top(order, seeds, held.size()), held);
            }
            n++;
        }
        return new double[] {sum[0] / n, sum[1] / n};
    }

    private static List<String> top(Integer[] order, Set<Integer> seeds, int k) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < order.length && out.size() < k; i++) {
            if (!seeds.contains(order[i])) {
                out.add(uri[order[i]]);
            }
        }
        return out;
    }

    private static double found(List<String> list, Set<String> held) {
        int hits = 0;
        for (String u : list) {
            hits += held.contains(u) ? 1 : 0;
        }
        return hits / (double) held.size();
    }

    private static double[] coOccurrence(ChallengePlaylist c, Set<Integer> seeds) {
        double[] s = new double[ids.size()];
        for (int[] p : playlists) {
            int shared = 0;
            for (int t : p) {
                shared += seeds.contains(t) ? 1 : 0;
            }
            if (shared > 0) {
                for (int t : p) {
                    s[t] += shared / Math.sqrt(p.length);
                }
            }
        }
        return s;
    }

    private static double[] sameTitle(ChallengePlaylist c, Set<Integer> seeds) {
        double[] s = new double[ids.size()];
        String title = TitleNormalizer.normalize(c.name());
        for (int i = 0; i < playlists.size(); i++) {
            if (titles.get(i).equals(title)) {
                for (int t : playlists.get(i)) {
                    s[t] += 1;
                }
            }
        }
        for (int t = 0; t < s.length; t++) {
            s[t] += 1e-6 * popularity[t];
        }
        return s;
    }
}
