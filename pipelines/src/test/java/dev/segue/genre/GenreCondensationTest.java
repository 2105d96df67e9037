package dev.segue.genre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GenreCondensationTest {
    @Test
    void condensesStudyAndCatalogLabels() {
        Map<String, String> want = Map.ofEntries(
                Map.entry("dance pop", "pop"), Map.entry("adult standards", "adult standards"),
                Map.entry("album rock", "rock"), Map.entry("glam rock", "rock"), Map.entry("british invasion", "rock"),
                Map.entry("brill building pop", "adult standards"), Map.entry("doo-wop", "adult standards"),
                Map.entry("atl hip hop", "hip hop"), Map.entry("g funk", "hip hop"), Map.entry("pop rap", "hip hop"),
                Map.entry("classic soul", "r&b"), Map.entry("british soul", "r&b"), Map.entry("disco house", "dance"),
                Map.entry("eurodance", "dance"), Map.entry("tropical house", "dance"), Map.entry("europop", "pop"),
                Map.entry("boy band", "pop"), Map.entry("barbadian pop", "pop"), Map.entry("neo mellow", "indie folk"),
                Map.entry("indie pop", "indie folk"), Map.entry("contemporary country", "country"),
                Map.entry("country pop", "country"), Map.entry("latin hip hop", "latin"), Map.entry("reggaeton", "latin"),
                Map.entry("christian rock", "worship"), Map.entry("ccm", "worship"), Map.entry("Post-Teen Pop", "pop"),
                Map.entry("british comedy", GenreCondensation.OTHER));
        want.forEach((label, broad) -> assertEquals(broad, GenreCondensation.broad(label), label));
        assertNull(GenreCondensation.broad(null));
        assertNull(GenreCondensation.broad("  "));
        assertEquals(11, GenreCondensation.BROAD.size());
        for (String b : GenreCondensation.EXACT.values()) {
            assertTrue(GenreCondensation.BROAD.contains(b), b);
        }
    }
}
