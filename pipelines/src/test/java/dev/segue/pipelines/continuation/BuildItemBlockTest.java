package dev.segue.pipelines.continuation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The track-row sort fallback of the item-block build (the ordered fill is covered by the pipeline tests). */
class BuildItemBlockTest {
    @Test
    void sortRowOrdersPlaylistsAndKeepsEachConfidenceWithItsPlaylist() {
        int[] cols = {9, 5, 7, 1, 3};
        float[] conf = {9.5f, 5.5f, 7.5f, 1.5f, 3.5f};
        EncodeInteractions.BuildItemBlockFn.sortRow(cols, conf, 1, 5);
        assertArrayEquals(new int[] {9, 1, 3, 5, 7}, cols, "only the range [1, 5) is sorted");
        for (int k = 0; k < cols.length; k++) {
            assertEquals(cols[k] + 0.5f, conf[k]);
        }
    }
}
