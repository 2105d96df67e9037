package dev.segue.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** A writer process killed with SIGKILL in the middle of a commit leaves no visible version behind. */
class KilledWriterTest {
    @TempDir
    Path dir;

    @Test
    void writerKilledDuringCommitLeavesNothingVisibleAndTheNextWriteSucceeds() throws Exception {
        FeatureStore store = FeatureStore.open(dir);
        boolean killedMidCommit = false;
        for (int attempt = 0; attempt < 3 && !killedMidCommit; attempt++) {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (a.startsWith("--add-opens")) cmd.add(a);
            }
            cmd.add("-Xmx512m");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(CrashingWriterMain.class.getName());
            cmd.add(dir.toString());
            int versionsBefore = store.list().isEmpty() ? 0 : store.versions("track_factors").size();
            Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            int ended = 0;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("commit-end")) ended++;
                    if (line.equals("commit-start 1")) {
                        child.toHandle().destroyForcibly(); // SIGKILL while commit() of the second version runs
                        break;
                    }
                }
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("commit-end")) ended++;
                }
            }
            int versionsAfter = store.versions("track_factors").size();
            List<Path> leftovers;
            try (Stream<Path> s = Files.list(dir.resolve("track_factors").resolve(StoreLayout.STAGING))) {
                leftovers = s.toList();
            }
            // the child's staging folder is still there exactly when the kill landed before the commit's rename
            killedMidCommit = !leftovers.isEmpty();
            for (Manifest m : store.versions("track_factors")) {
                VerifyResult v = store.verify("track_factors", m.version());
                assertTrue(v.ok(), v.problems().toString());
            }
            if (killedMidCommit) {
                assertEquals(1, leftovers.size());
                assertEquals(child.pid(), StoreLayout.ownerPid(leftovers.get(0).getFileName().toString()));
                assertEquals(1, ended, "only the first commit finished");
                assertEquals(ended, versionsAfter - versionsBefore, "the interrupted commit left no visible version");
                GcResult gc = store.gc("track_factors", 100);
                assertEquals(1, gc.stagingRemoved(), "gc removes the dead writer's staging folder");
            }
        }
        assertTrue(killedMidCommit, "the child was never caught inside a commit");
        long versions = store.versions("track_factors").size();
        try (FeatureSetWriter w = store.writer(TestData.trackFactors(), WriteOptions.producer("after"))) {
            w.append(TestData.trackBatch(0, 10, 1));
            String v = w.commit();
            assertEquals(StoreLayout.versionId(StoreLayout.sequenceOf(store.versions("track_factors").get((int) versions - 1).version()) + 1), v);
        }
        try (FeatureSetReader r = store.read("track_factors")) {
            assertEquals(10, r.rows());
        }
    }
}
