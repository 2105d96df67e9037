package dev.segue.pipelines.continuation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.pipelines.testing.MiniHdfs;
import dev.segue.pipelines.testing.TinyMpd;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The continuation pipeline reads its MPD slices from a real HDFS (MiniDFSCluster in this JVM) through a glob,
 * store on local disk: every playlist and track arrives, and the run records the hdfs:// input.
 */
class ContinuationInputsTest {
    @TempDir
    Path tmp;

    @Test
    void readsSlicesFromHdfsThroughAGlob() throws Exception {
        TinyMpd data = new TinyMpd(300, 4, 30, 5);
        Path local = data.write(tmp.resolve("mpd"), 100);
        Set<String> uris = new HashSet<>();
        for (MpdPlaylist p : data.playlists) {
            for (MpdTrack t : p.tracks()) {
                uris.add(t.trackUri());
            }
        }
        try (MiniHdfs hdfs = new MiniHdfs(tmp.resolve("hdfs"))) {
            String mpd = hdfs.copy(local, "/data/mpd");
            Path store = tmp.resolve("store");
            ContinuationPipeline.run(ContinuationPipelineTest.options(Path.of("unused"), store,
                    "--mpd=" + mpd + "/mpd.slice.*.json", "--factors=4", "--iterations=1", hdfs.beamOption()));
            try (FeatureSetReader r = FeatureStore.open(store).read(FeatureSets.TRACKS)) {
                assertEquals(uris.size(), r.readAll(List.of()).rows());
            }
            try (FeatureSetReader r = FeatureStore.open(store).read(FeatureSets.TRACK_FACTORS)) {
                assertEquals(uris.size(), r.readAll(List.of()).rows());
            }
            assertTrue(FeatureStore.open(store).list().contains(FeatureSets.PLAYLIST_FACTORS));
        }
    }
}
