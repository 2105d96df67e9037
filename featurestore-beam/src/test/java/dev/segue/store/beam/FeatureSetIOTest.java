package dev.segue.store.beam;

import dev.segue.store.Batch;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureStore;
import dev.segue.store.FeatureType;
import dev.segue.store.Manifest;
import dev.segue.store.Table;
import dev.segue.store.WriteOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class FeatureSetIOTest {
    static final int DIM = 4;

    @TempDir
    Path dir;

    static FeatureSetSchema schema() {
        return FeatureSetSchema.builder("beam_factors")
                .entityKey("id", FeatureType.INT64)
                .categorical("kind", "item kind")
                .column("score", FeatureType.FLOAT64, "score")
                .embedding("v", DIM, "vector")
                .build();
    }

    static List<Batch> batches(int count, int rows) {
        List<Batch> out = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            long[] ids = new long[rows];
            String[] kind = new String[rows];
            double[] score = new double[rows];
            float[] v = new float[rows * DIM];
            for (int i = 0; i < rows; i++) {
                long id = (long) b * rows + i;
                ids[i] = id;
                kind[i] = id % 2 == 0 ? "even" : "odd";
                score[i] = id * 1.5;
                for (int d = 0; d < DIM; d++) v[i * DIM + d] = id + d;
            }
            out.add(Batch.builder(rows).longs("id", ids).strings("kind", kind).doubles("score", score)
                    .embeddings("v", v).build());
        }
        return out;
    }

    private void roundTrip(PipelineOptions options) throws IOException {
        Path root = dir.resolve("store");
        Pipeline p = Pipeline.create(options);
        PCollection<String> versions = p.apply(Create.of(batches(5, 40)).withCoder(BatchCoder.of()))
                .apply(FeatureSetIO.write(root.toString(), schema(), WriteOptions.producer("beam-test").param("k", "v").batchRows(16)));
        // exactly one commit: a failed PAssert fails the job on every runner, so run() throws
        PAssert.that(versions).containsInAnyOrder("v000001");
        assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
        FeatureStore store = FeatureStore.open(root);
        try (FeatureSetReader r = store.read("beam_factors")) {
            Manifest m = r.manifest();
            assertEquals(200, m.rowCount());
            assertEquals("beam-test", m.producer());
            assertEquals("v", m.parameters().get("k"));
            assertNotNull(m.parameters().get(FeatureSetIO.WRITE_ID), "the write id makes a retried commit idempotent");
            assertEquals(200, m.stats().get("score").count());
            assertEquals(0.0, m.stats().get("score").min());
            assertEquals(199 * 1.5, m.stats().get("score").max());
            assertTrue(store.verify("beam_factors", "latest").ok());
            Table t = r.readAll(List.of());
            long[] ids = t.longs("id").clone();
            Arrays.sort(ids);
            for (int i = 0; i < 200; i++) {
                assertEquals(i, ids[i]);
            }
            int row = r.rowOf(123L);
            assertEquals(123 * 1.5, t.doubles("score")[row]);
            assertEquals("odd", t.strings("kind")[row]);
            assertEquals(125f, t.embeddings("v")[row * DIM + 2]);
        }
        // staging is cleaned after the commit
        try (Stream<Path> s = Files.list(root.resolve("beam_factors").resolve("_staging"))) {
            assertEquals(0, s.count());
        }

        // read it back through Beam and write a copy: every row arrives exactly once
        Pipeline p2 = Pipeline.create(options);
        PCollection<Batch> read = p2.apply(FeatureSetIO.read(root.toString(), "beam_factors"));
        FeatureSetSchema copy = FeatureSetSchema.builder("beam_copy").entityKey("id", FeatureType.INT64)
                .categorical("kind", "item kind").column("score", FeatureType.FLOAT64, "score")
                .embedding("v", DIM, "vector").build();
        read.apply(FeatureSetIO.write(root.toString(), copy, WriteOptions.producer("copy")));
        assertEquals(PipelineResult.State.DONE, p2.run().waitUntilFinish());
        try (FeatureSetReader r = store.read("beam_copy")) {
            assertEquals(200, r.rows());
            assertEquals(199 * 1.5, r.lookup(199L).orElseThrow().getDouble("score"));
        }
    }

    @Test
    void directRunnerWritesCommitsAndReads() throws IOException {
        PipelineOptions o = PipelineOptionsFactory.create();
        o.setRunner(DirectRunner.class);
        roundTrip(o);
    }

    @Test
    void flinkRunnerWritesCommitsAndReads() throws IOException {
        FlinkPipelineOptions o = PipelineOptionsFactory.create().as(FlinkPipelineOptions.class);
        o.setRunner(FlinkRunner.class);
        o.setParallelism(2);
        roundTrip(o);
    }

    @Test
    void invalidBatchFailsThePipelineAndCommitsNothing() {
        Path root = dir.resolve("store");
        PipelineOptions o = PipelineOptionsFactory.create();
        o.setRunner(DirectRunner.class);
        Pipeline p = Pipeline.create(o);
        Batch bad = Batch.builder(2).longs("id", new long[]{1, 2}).strings("kind", new String[]{"a", "b"})
                .doubles("score", new double[]{1, 2}).embeddings("v", new float[2 * (DIM + 1)]).build();
        p.apply(Create.of(List.of(bad)).withCoder(BatchCoder.of()))
                .apply(FeatureSetIO.write(root.toString(), schema(), WriteOptions.producer("t")));
        Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
        assertTrue(messages(e).contains("column 'v' is declared with dimension 4 but the batch holds dimension 5"), messages(e));
        assertTrue(FeatureStore.open(root).list().isEmpty());
    }

    static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (; t != null; t = t.getCause()) sb.append(t.getMessage()).append(" | ");
        return sb.toString();
    }
}
