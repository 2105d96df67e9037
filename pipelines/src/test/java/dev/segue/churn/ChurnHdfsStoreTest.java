package dev.segue.churn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.churn.ChurnInputsTest.Run;
import dev.segue.genre.GenreSchemas;
import dev.segue.genre.cli.GenrePipelineCommand;
import dev.segue.pipelines.evidence.ReportDirs;
import dev.segue.pipelines.testing.MiniHdfs;
import dev.segue.pipelines.testing.StoreAgreement;
import dev.segue.store.FeatureStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.hadoop.security.UserGroupInformation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segue pipeline churn --ratings-factors D} and {@code segue pipeline genre} with {@code --store hdfs://…} (a
 * real HDFS in this JVM, permissions checked): the same rows in every set as the same run into a local folder, read
 * back through {@link FeatureStore}; reports stay local. A store the user may not write, or a report folder on
 * HDFS, is one line naming it, with nothing written.
 */
class ChurnHdfsStoreTest {
    @TempDir
    static Path dir;
    static MiniHdfs hdfs;
    static Path logs;

    @BeforeAll
    static void start() throws Exception {
        hdfs = new MiniHdfs(dir.resolve("hdfs"), true);
        logs = dir.resolve("logs");
        TinyLogs.write(logs, 200, 5);
    }

    @AfterAll
    static void stop() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    static Run churn(String store, String report) {
        return ChurnInputsTest.churn("--logs", logs.toString(), "--store", store, "--user-shards", "3",
                "--report-dir", report, "--ratings-factors", "4", "--ratings-iterations", "2", "--targetParallelism=2");
    }

    @Test
    void churnAndRatingsAlsWriteTheSameRowsToHdfsAsToALocalFolder() throws Exception {
        String local = dir.resolve("store-local").toString();
        String remote = hdfs.path("/stores/churn");
        Run l = churn(local, dir.resolve("report-local").toString());
        assertEquals(0, l.code(), l.err());
        Run r = churn(remote, dir.resolve("report-hdfs").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(StoreAgreement.assertSameRows(local, remote, ChurnSchemas.FEATURES, 0) > 0);
        assertTrue(StoreAgreement.assertSameRows(local, remote, ChurnSchemas.LABELS, 0) > 0);
        assertTrue(StoreAgreement.assertSameRows(local, remote, ChurnSchemas.RATINGS,
                List.of(ChurnSchemas.UID, ChurnSchemas.SONG_ID), 0) > 0);
        for (String set : List.of(RatingsAls.USER_FACTORS, RatingsAls.SONG_FACTORS)) {
            assertTrue(StoreAgreement.assertSameRows(local, remote, set, 1e-6) > 0, set);
        }
        // one run, one snapshot: churn sets and factors together
        assertEquals(5, FeatureStore.open(remote).latestSnapshot().orElseThrow().featureSets().size());
        assertTrue(Files.isRegularFile(dir.resolve("report-hdfs/report.json")));
        assertTrue(Files.isRegularFile(dir.resolve("report-hdfs/dead-letters.csv")));
    }

    @Test
    void genreWritesTheSameRowsToHdfsAsToALocalFolder() throws Exception {
        Path audio = dir.resolve("tracks.csv");
        Random rnd = new Random(5);
        List<String> lines = new ArrayList<>();
        lines.add("Id,title,artist,year,bpm,nrgy,dnce,dB,live,val,dur,acous,spch,pop,top genre");
        String[] genres = {"dance pop", "album rock", "pop rap", ""};
        for (int i = 0; i < 120; i++) {
            lines.add(String.format(Locale.ROOT, "%022d,Song %d,Artist %d,%d,%d,%d,%d,-%d,%d,%d,%d,%d,%d,%d,%s", i, i,
                    i % 7, 1960 + rnd.nextInt(60), 60 + rnd.nextInt(120), rnd.nextInt(100), rnd.nextInt(100),
                    rnd.nextInt(20), rnd.nextInt(100), rnd.nextInt(100), 120 + rnd.nextInt(200), rnd.nextInt(100),
                    rnd.nextInt(100), rnd.nextInt(100), genres[i % genres.length]));
        }
        lines.add("bad,t,a,2000,fast,1,1,1,1,1,1,1,1,42,pop"); // a dead letter
        Files.write(audio, lines);
        String local = dir.resolve("genre-local").toString();
        String remote = hdfs.path("/stores/genre");
        for (String[] run : List.of(new String[] {local, "genre-report-local"}, new String[] {remote, "genre-report-hdfs"})) {
            Run g = genre("--audio", audio.toString(), "--store", run[0], "--report-dir", dir.resolve(run[1]).toString(),
                    "--audioShards=2", "--targetParallelism=2");
            assertEquals(0, g.code(), g.err());
        }
        assertEquals(120, StoreAgreement.assertSameRows(local, remote, GenreSchemas.NAME, 0));
        assertEquals(2, Files.readAllLines(dir.resolve("genre-report-hdfs/dead-letters.csv")).size());
    }

    @Test
    void aStoreWithoutWritePermissionIsOneLineNamingItAndNothingIsWritten() throws Exception {
        String locked = hdfs.path("/stores/locked");
        FeatureStore.open(locked); // created by this JVM's user (the namenode's superuser); mode 755
        Run r = UserGroupInformation.createRemoteUser("mallory").doAs(
                (PrivilegedExceptionAction<Run>) () -> churn(locked, dir.resolve("report-locked").toString()));
        assertEquals(1, ChurnInputsTest.lines(r.err()).size(), r.err());
        assertTrue(r.err().startsWith("segue pipeline churn: store " + locked + ": cannot write there (Permission denied: "
                + "user=mallory, access=WRITE"), r.err());
        assertTrue(r.code() != 0);
        assertEquals(0, hdfs.fileSystem().listStatus(new org.apache.hadoop.fs.Path(locked)).length, "nothing written");
    }

    @Test
    void reportsStayLocal() {
        String remote = hdfs.path("/stores/reports");
        Run r = ChurnInputsTest.churn("--logs", logs.toString(), "--store", remote, "--report-dir", hdfs.path("/reports"));
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of("segue pipeline churn: --reportDir " + hdfs.path("/reports") + ": reports and dead letters "
                + "are written to a local or mounted folder, not to hdfs://"), ChurnInputsTest.lines(r.err()));
        assertTrue(FeatureStore.open(remote).list().isEmpty());
        // without --report-dir: beside a local store, in the working directory for a store on HDFS
        assertEquals(Paths.get("churn-report").toAbsolutePath(), ReportDirs.of(null, remote, "churn-report"));
        assertEquals(dir.resolve("churn-report").toAbsolutePath(),
                ReportDirs.of(null, dir.resolve("s").toString(), "churn-report"));
    }

    static Run genre(String... args) {
        return ChurnInputsTest.command(new GenrePipelineCommand(), "segue pipeline genre", args);
    }
}
