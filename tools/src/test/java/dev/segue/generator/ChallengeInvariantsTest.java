package dev.segue.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.format.ChallengeCategory;
import dev.segue.format.ChallengePlaylist;
import dev.segue.format.MpdFiles;
import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.format.PlaylistArrayReader;
import dev.segue.format.TruthPlaylist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generated challenge follows MPD's construction and its invariants. */
class ChallengeInvariantsTest {
    private final Path world = TestWorlds.shared();

    @Test
    void challengeFollowsMpdConstruction() throws IOException {
        List<ChallengePlaylist> challenge = MpdFiles.readChallengeSet(world.resolve("challenge/challenge_set.json"));
        Map<Long, TruthPlaylist> truth = new HashMap<>();
        for (TruthPlaylist t : MpdFiles.readTruthFile(world.resolve("challenge/truth.json"))) {
            truth.put(t.pid(), t);
        }
        Set<String> catalog = new HashSet<>();
        List<String> audio = Files.readAllLines(world.resolve("audio/tracks.csv"));
        for (String line : audio.subList(1, audio.size())) {
            catalog.add("spotify:track:" + line.substring(0, line.indexOf(',')));
        }
        Set<Long> slicePids = new HashSet<>();
        for (Path s : MpdFiles.listSlices(world.resolve("mpd"))) {
            try (PlaylistArrayReader<MpdPlaylist> r = MpdFiles.readSlice(s)) {
                for (MpdPlaylist p = r.next(); p != null; p = r.next()) {
                    slicePids.add(p.pid());
                }
            }
        }
        Map<ChallengeCategory, Integer> counts = new EnumMap<>(ChallengeCategory.class);
        for (ChallengePlaylist c : challenge) {
            TruthPlaylist t = truth.get(c.pid());
            assertNotNull(t, "truth for " + c.pid());
            ChallengeCategory category = ChallengeCategory.byId(t.category());
            counts.merge(category, 1, Integer::sum);
            assertFalse(slicePids.contains(c.pid()), "challenge playlists are not in the slices");
            assertEquals(c.numSamples(), c.tracks().size());
            assertEquals(c.numTracks(), c.numSamples() + c.numHoldouts());
            assertEquals(c.numHoldouts(), t.holdouts().size());
            assertEquals(category.seeds(), c.numSamples());
            assertEquals(category, c.category(), "category recognisable from the playlist itself");
            assertEquals(category.hasTitle(), c.name() != null);
            assertTrue(ChallengeRules.eligible(category, c.numTracks()), category + " length " + c.numTracks());
            boolean[] seen = new boolean[c.numTracks()];
            int previous = -1;
            for (MpdTrack s : c.tracks()) {
                assertTrue(s.pos() > previous, "seeds in playlist order");
                previous = s.pos();
                seen[s.pos()] = true;
                assertTrue(catalog.contains(s.trackUri()));
            }
            if (!category.random()) {
                for (int i = 0; i < c.numSamples(); i++) {
                    assertEquals(i, c.tracks().get(i).pos(), "first-N seeds");
                }
            }
            for (MpdTrack h : t.holdouts()) {
                assertFalse(seen[h.pos()], "a position is either seed or held out");
                seen[h.pos()] = true;
                assertTrue(catalog.contains(h.trackUri()));
            }
            for (boolean b : seen) {
                assertTrue(b, "seeds and holdouts cover the playlist");
            }
        }
        assertEquals(10, counts.size());
        for (int n : counts.values()) {
            assertEquals(TestWorlds.SPEC.challengePerCategory(), n, "equal numbers per category");
        }
    }

    @Test
    void randomCategoriesDoNotTakeTheFirstTracks() throws IOException {
        int notFirst = 0;
        for (ChallengePlaylist c : MpdFiles.readChallengeSet(world.resolve("challenge/challenge_set.json"))) {
            if (c.category().random()) {
                if (c.tracks().get(c.tracks().size() - 1).pos() != c.numSamples() - 1) {
                    notFirst++;
                }
            }
        }
        assertEquals(2 * TestWorlds.SPEC.challengePerCategory(), notFirst);
    }

    @Test
    void lengthBandsAreMpds() {
        assertEquals(10, ChallengeRules.minLength(ChallengeCategory.TITLE_ONLY));
        assertEquals(50, ChallengeRules.maxLength(ChallengeCategory.TITLE_ONLY));
        assertEquals(150, ChallengeRules.minLength(ChallengeCategory.TITLE_RANDOM_100));
        assertEquals(250, ChallengeRules.maxLength(ChallengeCategory.TITLE_FIRST_100));
        for (ChallengeCategory c : ChallengeCategory.values()) {
            assertTrue(ChallengeRules.minLength(c) > c.seeds(), "every category holds tracks out: " + c);
        }
    }
}
