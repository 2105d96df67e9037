package dev.segue.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StringIntMapTest {
    @Test
    void storesGrowsAndAssignsDenseIds() {
        StringIntMap map = new StringIntMap(2);
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, map.idOf("k" + i));
        }
        assertEquals(1000, map.size());
        assertEquals(537, map.get("k537"));
        assertEquals(-1, map.get("missing"));
        assertEquals(-1, map.get(null));
        assertEquals(537, map.put("k537", 5));
        assertEquals(5, map.get("k537"));
        assertEquals(7, map.idOf("k7"));
    }
}
