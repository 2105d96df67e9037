package dev.segue.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.format.ChallengeCategory;
import dev.segue.format.FormatException;
import dev.segue.format.TruthPlaylist;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationSetTest {
    @TempDir
    Path dir;

    @Test
    void joinsChallengeAndTruth() throws Exception {
        TinyWorld w = new TinyWorld(dir);
        EvaluationSet set = EvaluationSet.load(w.challengeFile, w.truthFile);
        assertEquals(20, set.size());
        assertEquals(ChallengeCategory.TITLE_ONLY, set.category(0));
        assertEquals(ChallengeCategory.TITLE_RANDOM_100, set.category(19));
        assertEquals(ChallengeCategory.TITLE_RANDOM_25, set.category(14));
        for (ChallengeCategory c : ChallengeCategory.values()) {
            assertEquals(2, set.categoryCounts().get(c), c.label());
        }
        assertEquals(15, set.truth(0).size());
        assertEquals(5, set.indexOf(1005));
        assertEquals(-1, set.indexOf(7));
        // artists of seeds and holdouts are known without training data
        assertEquals(w.truth.get(0).holdouts().get(0).artistUri(),
                set.artistOf(w.truth.get(0).holdouts().get(0).trackUri()));
    }

    @Test
    void mismatchedPidsAreNamed() throws Exception {
        TinyWorld w = new TinyWorld(dir);
        List<TruthPlaylist> fewer = new ArrayList<>(w.truth.subList(1, 20));
        BadInputException missing = assertThrows(BadInputException.class,
                () -> EvaluationSet.of(w.challengeFile, w.truthFile, w.challenge, fewer));
        assertTrue(missing.getMessage().contains("no truth for 1 challenge pid(s), e.g. 1000"), missing.getMessage());

        List<TruthPlaylist> extra = new ArrayList<>(w.truth);
        extra.add(new TruthPlaylist(4242, 1, w.truth.get(0).holdouts()));
        BadInputException unknown = assertThrows(BadInputException.class,
                () -> EvaluationSet.of(w.challengeFile, w.truthFile, w.challenge, extra));
        assertTrue(unknown.getMessage().contains("4242"), unknown.getMessage());

        List<TruthPlaylist> empty = new ArrayList<>(w.truth);
        empty.set(3, new TruthPlaylist(1003, 2, List.of()));
        BadInputException none = assertThrows(BadInputException.class,
                () -> EvaluationSet.of(w.challengeFile, w.truthFile, w.challenge, empty));
        assertTrue(none.getMessage().contains("pid 1003 has no held-out tracks"), none.getMessage());
    }

    @Test
    void categoryComesFromTruthElseFromTheSeeds() throws Exception {
        TinyWorld w = new TinyWorld(dir);
        List<TruthPlaylist> truth = new ArrayList<>(w.truth);
        truth.set(14, new TruthPlaylist(1014, 0, w.truth.get(14).holdouts()));   // unknown: inferred
        truth.set(15, new TruthPlaylist(1015, 3, w.truth.get(15).holdouts()));   // stated: kept
        EvaluationSet set = EvaluationSet.of(w.challengeFile, w.truthFile, w.challenge, truth);
        assertEquals(ChallengeCategory.TITLE_RANDOM_25, set.category(14));
        assertEquals(ChallengeCategory.TITLE_FIRST_5, set.category(15));
    }

    @Test
    void malformedFilesNameFileAndPosition() throws Exception {
        TinyWorld w = new TinyWorld(dir);
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"playlists\": [\n  {\"pid\": 1, \"num_holdouts\": 1,\n  \"tracks\": [}\n]}");
        FormatException e = assertThrows(FormatException.class, () -> EvaluationSet.load(broken, w.truthFile));
        assertTrue(e.getMessage().startsWith(broken + ":3:"), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> EvaluationSet.load(dir.resolve("nope.json"), w.truthFile));
    }
}
