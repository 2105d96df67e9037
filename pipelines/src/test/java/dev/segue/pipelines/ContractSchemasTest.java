package dev.segue.pipelines;

import dev.segue.churn.ChurnSchemas;
import dev.segue.churn.RatingsAls;
import dev.segue.format.FeatureSetContracts;
import dev.segue.format.FeatureSetContracts.Column;
import dev.segue.format.FeatureSetContracts.Contract;
import dev.segue.genre.GenreCondensation;
import dev.segue.genre.GenreSchemas;
import dev.segue.pipelines.continuation.FeatureSets;
import dev.segue.pipelines.ranker.RankerPipeline;
import dev.segue.ranking.RankFeatures;
import dev.segue.store.ColumnSpec;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ContractSchemasTest {
    private static final int DIM = 12;

    /** Every schema a pipeline writes, one per registered set. */
    private static List<FeatureSetSchema> written() {
        return List.of(FeatureSets.tracks(), FeatureSets.trackStats(), FeatureSets.trackFactors(DIM),
                FeatureSets.playlistFactors(DIM), FeatureSets.titleEmbeddings(DIM), FeatureSets.titleTracks(),
                FeatureSets.trackNeighbours(), RankerPipeline.examplesSchema(),
                ChurnSchemas.features(), ChurnSchemas.labels(), ChurnSchemas.ratings(), RatingsAls.userFactors(DIM),
                RatingsAls.songFactors(DIM), GenreSchemas.schema());
    }

    @Test
    void thePipelinesWriteExactlyTheRegisteredSets() {
        List<FeatureSetSchema> schemas = written();
        assertEquals(List.copyOf(FeatureSetContracts.all().keySet()),
                schemas.stream().map(FeatureSetSchema::name).toList());
        for (FeatureSetSchema s : schemas) {
            Contract c = FeatureSetContracts.get(s.name());
            assertEquals(c.entityKey(), s.entityKey(), s.name());
            assertEquals(c.eventTimestamp(), s.eventTimestamp(), s.name());
            if (s.name().equals(FeatureSetContracts.RankerExamples.NAME)) {
                // the registry's columns, then one FLOAT32 column per rank feature (the manifest's list)
                List<String> all = new java.util.ArrayList<>(c.columnNames());
                all.addAll(RankFeatures.NAMES);
                assertEquals(all, s.columnNames(), s.name());
                for (String f : RankFeatures.NAMES) {
                    assertEquals(FeatureType.FLOAT32, s.column(f).type(), f);
                }
            } else {
                assertEquals(c.columnNames(), s.columnNames(), s.name());
            }
            for (Column col : c.columns()) {
                ColumnSpec spec = s.column(col.name());
                String where = s.name() + "." + col.name();
                assertEquals(col.type().name(), spec.type().name(), where);
                assertEquals(col.notNull(), !spec.nullable(), where);
                assertEquals(col.categorical(), spec.categorical(), where);
                assertEquals(col.min(), spec.min(), where);
                assertEquals(col.max(), spec.max(), where);
                assertEquals(spec.type() == FeatureType.EMBEDDING ? DIM : 0, spec.dim(), where);
            }
        }
    }

    @Test
    void aDescriptionTheRegistryLeavesOpenIsThePipelines() {
        assertEquals("broad genre from GenreCondensation " + GenreCondensation.VERSION
                        + "; null when the label is missing",
                GenreSchemas.schema().column(GenreSchemas.BROAD_GENRE).description());
        assertEquals("implicit-ALS item factors", FeatureSets.trackFactors(DIM).column("factors").description());
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException noWidth = assertThrows(IllegalArgumentException.class,
                () -> ContractSchemas.schema(FeatureSetContracts.TrackFactors.CONTRACT));
        assertEquals("feature set 'track_factors': embedding 'factors' needs a positive width, got 0",
                noWidth.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ContractSchemas.schema(FeatureSetContracts.Tracks.CONTRACT, 0, Map.of("uri", "x")));
        assertTrue(unknown.getMessage().contains("has no column 'uri'"), unknown.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> ContractSchemas.schema(FeatureSetContracts.RankerExamples.CONTRACT, List.of("label"), "x"));
        assertEquals("feature set 'ranker_examples': column 'label' is already a registry column", twice.getMessage());
    }
}
