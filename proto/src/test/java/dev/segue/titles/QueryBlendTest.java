package dev.segue.titles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class QueryBlendTest {
    @Test
    void weightGrowsWithSeeds() {
        assertEquals(1.0 / 6, QueryBlend.seedWeight(1, 5), 1e-12);
        assertEquals(0.5, QueryBlend.seedWeight(5, 5), 1e-12);
        assertEquals(25.0 / 30, QueryBlend.seedWeight(25, 5), 1e-12);
        assertEquals(1.0, QueryBlend.seedWeight(3, 0), 1e-12);
        assertEquals(1.0, QueryBlend.seedWeight(0, 0), 1e-12);
    }

    @Test
    void blendsConvexlyAndPassesASingleVectorThrough() {
        float[] seed = {1f, 0f};
        float[] title = {0f, 1f};
        assertArrayEquals(new float[] {0.5f, 0.5f}, QueryBlend.blend(seed, 5, title, 5), 1e-7f);
        assertArrayEquals(new float[] {0.2f, 0.8f}, QueryBlend.blend(seed, 2, title, 8), 1e-7f);
        // Directions are blended: a short seed vector is not drowned by a long title vector.
        assertArrayEquals(new float[] {0.5f, 0.5f}, QueryBlend.blend(new float[] {0.01f, 0f}, 5,
                new float[] {0f, 30f}, 5), 1e-6f);
        assertSame(seed, QueryBlend.blend(seed, 5, null, 5));
        assertSame(title, QueryBlend.blend(null, 0, title, 5));
    }

    @Test
    void refusesMismatchedDimensionsAndNegativePriors() {
        assertThrows(IllegalArgumentException.class, () -> QueryBlend.blend(new float[2], 1, new float[3], 5));
        assertThrows(IllegalArgumentException.class, () -> QueryBlend.seedWeight(1, -1));
    }
}
