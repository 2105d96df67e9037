package dev.segue.pipelines.continuation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.format.FeatureSetContracts.RankerExamples;
import dev.segue.pipelines.ranker.RankerOptions;
import dev.segue.pipelines.ranker.RankerPipeline;
import dev.segue.pipelines.testing.MiniHdfs;
import dev.segue.pipelines.testing.StoreAgreement;
import dev.segue.pipelines.testing.TinyMpd;
import dev.segue.ranking.RankFeatures;
import dev.segue.ranking.RankerArtifacts;
import dev.segue.ranking.RankerModel;
import dev.segue.store.FeatureStore;
import dev.segue.store.Snapshot;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.security.UserGroupInformation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The continuation and ranker pipelines with {@code --store hdfs://…}: a real HDFS in this JVM (MiniDFSCluster,
 * permissions checked), the same run into a local folder beside it. Both stores must hold the same rows of every set,
 * read back through {@link FeatureStore}; the ranker pipeline reads its first stage from the HDFS store and writes its
 * examples and ranker artifact there. A store the user may not write is one line naming it, with nothing written.
 */
class ContinuationHdfsStoreTest {
    @TempDir
    static Path tmp;
    static MiniHdfs hdfs;
    static Path mpd;

    @BeforeAll
    static void start() throws Exception {
        hdfs = new MiniHdfs(tmp.resolve("hdfs"), true);
        mpd = new TinyMpd(400, 4, 40, 3).write(tmp.resolve("mpd"), 200);
    }

    @AfterAll
    static void stop() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    static ContinuationOptions continuation(String store) {
        return ContinuationPipelineTest.options(mpd, Path.of("unused"), "--store=" + store, "--factors=4",
                "--iterations=2", "--blockRows=50", "--rankerHoldout=0.25");
    }

    static RankerOptions ranker(String store) {
        Map<String, String> args = new LinkedHashMap<>();
        for (String a : List.of("--mpd=" + mpd, "--store=" + store, "--rounds=5", "--validationShare=0.3",
                "--runner=DirectRunner", "--enforceImmutability=false", "--enforceEncodability=false",
                "--targetParallelism=2")) {
            args.put(a.substring(0, a.indexOf('=')), a);
        }
        PipelineOptionsFactory.register(RankerOptions.class);
        return PipelineOptionsFactory.fromArgs(args.values().toArray(new String[0])).withValidation()
                .as(RankerOptions.class);
    }

    @Test
    void continuationAndRankerWriteTheSameRowsToHdfsAsToALocalFolder() throws Exception {
        String local = tmp.resolve("store-local").toString();
        String remote = hdfs.path("/stores/continuation");
        ContinuationPipeline.run(continuation(local));
        ContinuationPipeline.run(continuation(remote));

        FeatureStore onHdfs = FeatureStore.open(remote);
        assertEquals(ContinuationPipeline.SETS, onHdfs.list().stream().filter(ContinuationPipeline.SETS::contains)
                .sorted(java.util.Comparator.comparing(ContinuationPipeline.SETS::indexOf)).toList());
        for (String set : ContinuationPipeline.SETS) {
            assertTrue(StoreAgreement.assertSameRows(local, remote, set, 0) > 0, set);
        }
        Snapshot s = onHdfs.latestSnapshot().orElseThrow();
        assertEquals(new java.util.TreeSet<>(ContinuationPipeline.SETS), s.featureSets().keySet());
        // no staging left behind on HDFS: every part was committed into its version
        for (String set : ContinuationPipeline.SETS) {
            assertFalse(hdfs.fileSystem().exists(new org.apache.hadoop.fs.Path(remote + "/" + set + "/_staging"))
                    && hdfs.fileSystem().listStatus(new org.apache.hadoop.fs.Path(remote + "/" + set + "/_staging")).length > 0,
                    set + ": staging left on HDFS");
        }

        // the ranker pipeline reads its first stage from HDFS and writes its examples and artifact there
        RankerPipeline.Summary l = RankerPipeline.run(ranker(local));
        RankerPipeline.Summary r = RankerPipeline.run(ranker(remote));
        assertEquals(l.training().rows(), r.training().rows());
        assertTrue(StoreAgreement.assertSameRows(local, remote, RankerExamples.NAME, 0) > 0);
        RankerArtifacts rankers = new RankerArtifacts(FeatureStore.open(remote));
        assertEquals(remote + "/_artifacts/ranker", rankers.location());
        try (RankerModel m = rankers.load("latest", RankFeatures.NAMES)) {
            assertEquals(FeatureStore.open(remote).latest(RankerExamples.NAME).version(),
                    m.builtFrom().get(RankerExamples.NAME));
        }
    }

    @Test
    void aStoreWithoutWritePermissionIsOneLineNamingItAndNothingIsWritten() throws Exception {
        String locked = hdfs.path("/stores/locked");
        FeatureStore.open(locked); // created by this JVM's user (the superuser); mode 755
        UserGroupInformation other = UserGroupInformation.createRemoteUser("mallory");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.doAs(
                (PrivilegedExceptionAction<Void>) () -> {
                    try {
                        ContinuationPipeline.run(continuation(locked));
                    } catch (RuntimeException ex) {
                        throw new IllegalStateException(ex.getMessage(), ex);
                    }
                    return null;
                }));
        String message = e.getMessage();
        assertFalse(message.contains("\n"), message);
        assertTrue(message.contains(locked), message);
        assertTrue(message.contains("Permission denied"), message);
        FileStatus[] left = hdfs.fileSystem().listStatus(new org.apache.hadoop.fs.Path(locked));
        assertEquals(0, left.length, "nothing written: " + List.of(left));
        assertTrue(FeatureStore.open(locked).list().isEmpty());
    }

    @Test
    void deadLettersOnHdfsAreRefusedWithOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContinuationPipeline.validate(ContinuationPipelineTest.options(mpd, Path.of("unused"),
                        "--store=" + hdfs.path("/stores/dl"), "--deadLetters=" + hdfs.path("/dead.jsonl"))));
        assertTrue(e.getMessage().startsWith("--deadLetters hdfs://"), e.getMessage());
    }
}
