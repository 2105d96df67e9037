package dev.segue.serving.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RangedSearchTest {
    private static final int ENTRY = 0;
    private static final int VALLEY = 1;  // on level 1, scoring below everything the entry sees on level 0
    private static final int PEAK = 2;    // on level 1, next to the true neighbours
    private static final int TRUE_FIRST = 3;
    private static final int TRUE_COUNT = 10;
    private static final int FILLERS = 300;

    /**
     * The medium store's recall plateau in miniature: on level 1 the greedy descent from the entry stops at
     * once (its only level-1 neighbour scores lower), and on level 0 the entry is surrounded by 300 middling
     * rows that fill any beam up to 300, so the valley node that leads to the true neighbours never stays in
     * the beam. Only a search that looks past the first local maximum on level 1 reaches them, and then at
     * every ef; a greedy level-1 entry found none of them at any ef below the graph's size.
     */
    @Test
    void trueNeighboursBehindALevelOneLocalMaximumAreFoundAtEveryEf() {
        int rows = TRUE_FIRST + TRUE_COUNT + FILLERS;
        float[] vectors = new float[rows * 2];
        vectors[ENTRY * 2] = 0.5f;
        vectors[VALLEY * 2] = 0.1f;
        vectors[PEAK * 2] = 0.9f;
        for (int t = 0; t < TRUE_COUNT; t++) {
            vectors[(TRUE_FIRST + t) * 2] = 0.99f - 0.001f * t;
        }
        for (int f = 0; f < FILLERS; f++) {
            vectors[(TRUE_FIRST + TRUE_COUNT + f) * 2] = 0.49f - 0.0003f * f;
        }
        GraphBuilder b = new GraphBuilder(rows, 4, 512);
        b.level(ENTRY, 1);
        b.level(VALLEY, 1);
        b.level(PEAK, 1);
        b.links(ENTRY, 1, new int[] {VALLEY});
        b.links(VALLEY, 1, new int[] {ENTRY, PEAK});
        b.links(PEAK, 1, new int[] {VALLEY});
        int[] entryLinks = new int[1 + FILLERS];
        entryLinks[0] = VALLEY;
        for (int f = 0; f < FILLERS; f++) {
            entryLinks[1 + f] = TRUE_FIRST + TRUE_COUNT + f;
            b.links(TRUE_FIRST + TRUE_COUNT + f, 0, new int[] {ENTRY});
        }
        b.links(ENTRY, 0, entryLinks);
        b.links(VALLEY, 0, new int[] {ENTRY, PEAK});
        int[] peakLinks = new int[1 + TRUE_COUNT];
        peakLinks[0] = VALLEY;
        for (int t = 0; t < TRUE_COUNT; t++) {
            peakLinks[1 + t] = TRUE_FIRST + t;
            b.links(TRUE_FIRST + t, 0, new int[] {PEAK});
        }
        b.links(PEAK, 0, peakLinks);
        FrozenGraph g = b.build(ENTRY, vectors, 2, 1f);
        float[] q = {1f, 0f};
        for (int ef : new int[] {10, 50, 100, 200}) {
            int[] ids = new int[ef];
            float[] scores = new float[ef];
            int found = RangedSearch.searchAll(new FrozenGraph[] {g}, new int[] {0}, rows, new float[] {1f}, q, ef,
                    ids, scores);
            Set<Integer> top = new HashSet<>();
            for (int i = 0; i < Math.min(TRUE_COUNT, found); i++) {
                top.add(ids[i]);
            }
            Set<Integer> expected = new HashSet<>();
            for (int t = 0; t < TRUE_COUNT; t++) {
                expected.add(TRUE_FIRST + t);
            }
            assertEquals(expected, top, "top 10 at ef " + ef);
        }
    }
}
