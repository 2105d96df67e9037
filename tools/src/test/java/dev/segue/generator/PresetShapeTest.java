package dev.segue.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The presets' shapes: sizes, challenge share, listeners, and a catalog that grows sub-linearly. */
class PresetShapeTest {
    @Test
    void presetsHaveTheirStatedSizes() {
        assertEquals(2_000, Preset.TINY.playlists());
        assertEquals(10_000, Preset.SMALL.playlists());
        assertEquals(100_000, Preset.MEDIUM.playlists());
        assertEquals(1_000_000, Preset.MPD.playlists());
        for (Preset p : Preset.values()) {
            WorldSpec spec = WorldSpec.of(1, p.playlists());
            assertEquals(Math.min(10_000, p.playlists() / 10), spec.challengePlaylists(), p + " challenge: 10%, at most 10,000");
            assertTrue(spec.users() >= 2_000 && spec.users() <= 60_000, p + " users");
            assertEquals((p.playlists() + 999) / 1000, spec.slices());
        }
    }

    @Test
    void catalogGrowsSubLinearlyToMillionsOfTracksAtMpdSize() {
        int tiny = CatalogPlan.forPlaylists(Preset.TINY.playlists()).tracks();
        int medium = CatalogPlan.forPlaylists(Preset.MEDIUM.playlists()).tracks();
        int mpd = CatalogPlan.forPlaylists(Preset.MPD.playlists()).tracks();
        assertTrue(mpd >= 2_000_000, "mpd catalog " + mpd);
        assertTrue(mpd < 10 * medium && medium < 50 * tiny, "sub-linear: " + tiny + " " + medium + " " + mpd);
    }

    @Test
    void uniqueTracksGrowSubLinearlyWithPlaylists() {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            int small = uniqueTracks(pool, 500);
            int large = uniqueTracks(pool, 2000);
            double ratio = large / (double) small;
            assertTrue(ratio > 1.3 && ratio < 3.5, "4x the playlists, " + ratio + "x the unique tracks");
        } finally {
            pool.shutdownNow();
        }
    }

    private static int uniqueTracks(ExecutorService pool, int playlists) {
        World world = World.build(new WorldSpec(5, playlists, 1, 1), pool);
        PlaylistFactory factory = new PlaylistFactory(world.model(), world.streams());
        BitSet seen = new BitSet();
        for (int pid = 0; pid < playlists; pid++) {
            for (int t : factory.create(pid).tracks()) {
                seen.set(t);
            }
        }
        return seen.cardinality();
    }
}
