package dev.segue.format;

import dev.segue.format.FeatureSetContracts.Column;
import dev.segue.format.FeatureSetContracts.ColumnType;
import dev.segue.format.FeatureSetContracts.Contract;
import dev.segue.format.FeatureSetContracts.Role;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class FeatureSetContractsTest {
    @Test
    void registersEveryPipelinesSetOnceWithOneNonNullKey() {
        assertEquals(List.of("tracks", "track_stats", "track_factors", "playlist_factors", "title_embeddings",
                "title_tracks", "track_neighbours", "ranker_examples", "user_churn_features", "user_churn_labels",
                "user_song_ratings", "user_factors", "song_factors", "track_genre_features"), List.copyOf(FeatureSetContracts.all().keySet()));
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

    /** A set named as the first argument of a segue_store call, with an optional columns=[...] list. */
    private static final Pattern PY_CALL = Pattern.compile(
            "\\.(?:history|describe|resolve|read_table|read_pandas|lookup|open)\\(\"([a-z_]+)\"(?:[^)]*?columns=\\[([^\\]]*)])?");
    /** A "set:column" feature reference of get_historical_features. */
    private static final Pattern PY_FEATURE = Pattern.compile("\"([a-z_]+):([A-Za-z0-9_]+)\"");

    @Test
    void thePythonReadersExamplesNameRegisteredSetsAndColumns() throws IOException {
        // the Python package reads any set by name; its examples must not drift from the registry
        Path root = Path.of("").toAbsolutePath().getParent();
        int checked = 0;
        for (String file : List.of("client/python/README.md", "client/python/segue_store/__init__.py")) {
            String text = Files.readString(root.resolve(file));
            Matcher call = PY_CALL.matcher(text);
            while (call.find()) {
                Contract c = FeatureSetContracts.get(call.group(1));
                if (call.group(2) != null) {
                    for (String col : call.group(2).split(",")) {
                        c.column(col.trim().replace("\"", ""));
                    }
                }
                checked++;
            }
            Matcher feature = PY_FEATURE.matcher(text);
            while (feature.find()) {
                assertDoesNotThrow(() -> FeatureSetContracts.get(feature.group(1)).column(feature.group(2)),
                        file + ": " + feature.group());
                checked++;
            }
        }
        assertTrue(checked >= 8, "found only " + checked + " set names in the Python examples");
    }
}
