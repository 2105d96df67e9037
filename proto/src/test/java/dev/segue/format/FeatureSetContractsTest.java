package dev.segue.format;

import dev.segue.format.FeatureSetContracts.Column;
import dev.segue.format.FeatureSetContracts.ColumnType;
import dev.segue.format.FeatureSetContracts.Contract;
import dev.segue.format.FeatureSetContracts.Role;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class FeatureSetContractsTest {
    @Test
    void registersEveryPipelinesSetOnceWithOneNonNullKey() {
        assertEquals(List.of("tracks", "track_stats", "track_factors", "playlist_factors", "title_embeddings",
                "title_tracks", "user_churn_features", "user_churn_labels", "user_song_ratings", "user_factors",
                "song_factors", "track_genre_features"), List.copyOf(FeatureSetContracts.all().keySet()));
        for (Contract c : FeatureSetContracts.all().values()) {
            Set<String> seen = new HashSet<>();
            for (Column col : c.columns()) {
                assertTrue(seen.add(col.name()), c.name() + ": duplicate column " + col.name());
                if (col.role() != Role.VALUE) {
                    assertTrue(col.notNull(), c.name() + "." + col.name() + " must be non-null");
                }
                if (col.categorical()) {
                    assertEquals(ColumnType.UTF8, col.type(), c.name() + "." + col.name());
                }
            }
            assertEquals(1, c.columns().stream().filter(col -> col.role() == Role.ENTITY_KEY).count(), c.name());
            assertEquals(Role.ENTITY_KEY, c.columns().get(0).role(), c.name() + ": the key comes first");
            assertTrue(c.columns().stream().filter(col -> col.role() == Role.EVENT_TIMESTAMP).count() <= 1, c.name());
        }
    }

    @Test
    void constantsNameTheContractsColumns() {
        assertEquals(FeatureSetContracts.TrackFactors.TRACK_ID, FeatureSetContracts.TrackFactors.CONTRACT.entityKey());
        assertEquals(ColumnType.EMBEDDING,
                FeatureSetContracts.TrackFactors.CONTRACT.column(FeatureSetContracts.TrackFactors.FACTORS).type());
        assertEquals(ColumnType.EMBEDDING,
                FeatureSetContracts.TitleEmbeddings.CONTRACT.column(FeatureSetContracts.TitleEmbeddings.VECTOR).type());
        assertEquals(FeatureSetContracts.UserChurnLabels.LABEL_TIME,
                FeatureSetContracts.UserChurnLabels.CONTRACT.eventTimestamp());
        assertNull(FeatureSetContracts.Tracks.CONTRACT.eventTimestamp());
        // 3 fixed columns, the study's 30 features in order, then the device
        Contract features = FeatureSetContracts.UserChurnFeatures.CONTRACT;
        assertEquals(34, features.columns().size());
        assertEquals(FeatureSetContracts.UserChurnFeatures.FEATURES, features.columnNames().subList(3, 33));
        assertEquals(ColumnType.INT32, features.column("freq_P_last_30").type());
        assertEquals(ColumnType.FLOAT64, features.column("P_7d_over_30d").type());
        // key, audio id, title, artist, raw + z + min-max of each numeric feature, two genres
        Contract genre = FeatureSetContracts.TrackGenreFeatures.CONTRACT;
        assertEquals(4 + 3 * FeatureSetContracts.TrackGenreFeatures.NUMERIC.size() + 2, genre.columns().size());
        assertEquals(1.0, genre.column("mm_bpm").max());
    }

    @Test
    void unknownNamesAreRefusedWithTheKnownOnes() {
        IllegalArgumentException set = assertThrows(IllegalArgumentException.class,
                () -> FeatureSetContracts.get("track_factor"));
        assertTrue(set.getMessage().contains("no feature set 'track_factor'"), set.getMessage());
        assertTrue(set.getMessage().contains("track_factors"), set.getMessage());
        IllegalArgumentException col = assertThrows(IllegalArgumentException.class,
                () -> FeatureSetContracts.get("track_factors").column("factor"));
        assertEquals("feature set 'track_factors' has no column 'factor' (columns: [track_id, track_uri, artist_uri, "
                + "factors])", col.getMessage());
    }
}
