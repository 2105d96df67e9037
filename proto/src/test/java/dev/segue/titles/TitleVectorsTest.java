package dev.segue.titles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TitleVectorsTest {
    private final TitleVectors vectors = new TitleVectors(
            new String[] {"summer hits", "summer", "hits", "chill"},
            new String[] {"title", "token", "token", "token"},
            new long[] {10, 30, 10, 5},
            new float[] {
                1, 1,
                2, 0,
                0, 4,
                9, 9},
            2);

    @Test
    void exactTitleRowWinsAfterNormalisation() {
        TitleVectors.Query q = vectors.lookup("  Summer HITS!! ");
        assertEquals(TitleVectors.Source.TITLE, q.source());
        assertEquals("summer hits", q.normalized());
        assertArrayEquals(new float[] {1, 1}, q.vector());
    }

    @Test
    void otherwiseCountWeightedMeanOfKnownTokens() {
        TitleVectors.Query q = vectors.lookup("hits of summer, summer");
        assertEquals(TitleVectors.Source.TOKENS, q.source());
        assertEquals(2, q.tokensUsed());
        // (30*(2,0) + 10*(0,4)) / 40
        assertArrayEquals(new float[] {1.5f, 1f}, q.vector(), 1e-6f);
    }

    @Test
    void unknownTitlesGiveNothing() {
        assertNull(vectors.vector("zzz qqq"));
        assertNull(vectors.vector(""));
        assertNull(vectors.vector(null));
        assertTrue(vectors.lookup("chill").known());
    }

    @Test
    void badColumnsAreRejected() {
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class, () -> new TitleVectors(
                new String[] {"a"}, new String[] {"word"}, new long[] {1}, new float[] {1}, 1));
        assertTrue(kind.getMessage().contains("row 0"), kind.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TitleVectors(
                new String[] {"a", "a"}, new String[] {"token", "token"}, new long[] {1, 1}, new float[] {1, 2}, 1));
        assertThrows(IllegalArgumentException.class, () -> new TitleVectors(
                new String[] {"a"}, new String[] {"token"}, new long[] {1}, new float[] {1, 2}, 1));
    }
}
