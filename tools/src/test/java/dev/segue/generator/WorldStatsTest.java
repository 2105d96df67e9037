package dev.segue.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The statistics logic on hand-made playlists. */
class WorldStatsTest {
    private static MpdPlaylist playlist(long pid, String name, int length, int followers, String... artists) {
        List<MpdTrack> tracks = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            String artist = artists[i % artists.length];
            tracks.add(new MpdTrack(i, artist, "spotify:track:" + artist + i, "spotify:artist:" + artist, "t" + i,
                    "spotify:album:" + artist, 200_000, "a"));
        }
        return new MpdPlaylist(name, false, pid, 0, length, artists.length, followers, 1, 200_000L * length,
                artists.length, null, tracks);
    }

    @Test
    void countsPercentilesAndTitles() {
        WorldStats s = new WorldStats();
        s.add(playlist(0, "Chill", 5, 1, "x"));
        s.add(playlist(1, "chill!", 10, 2, "x", "y"));
        s.add(playlist(2, "Rap", 20, 30, "z"));
        s.add(playlist(3, "CHILL", 65, 1, "y"));
        assertEquals(4, s.playlists());
        assertEquals(100, s.occurrences());
        assertEquals(25.0, s.meanLength());
        assertEquals(5, s.minLength());
        assertEquals(65, s.maxLength());
        assertEquals(10, s.lengthPercentile(50));
        assertEquals(65, s.lengthPercentile(99));
        assertEquals(4, s.uniqueTitles());
        assertEquals(2, s.uniqueNormalizedTitles());
        assertEquals("chill", s.topTitles(1).get(0).getKey());
        assertEquals(3, s.topTitles(1).get(0).getValue());
        assertEquals(0.75, s.shareFollowersAtMost3());
        // x0..x4 and x6, x8 (playlist 1 alternates x and y); y0..y64; z0..z19
        assertEquals(7 + 65 + 20, s.uniqueTracks());
        assertEquals(3, s.uniqueArtists());
    }

    @Test
    void mergingPartsEqualsCountingAtOnce() {
        WorldStats all = new WorldStats();
        WorldStats a = new WorldStats();
        WorldStats b = new WorldStats();
        for (int i = 0; i < 10; i++) {
            MpdPlaylist p = playlist(i, "t" + (i % 3), 5 + i, i, "a" + (i % 4), "b");
            all.add(p);
            (i < 4 ? a : b).add(p);
        }
        a.merge(b);
        assertEquals(all.toJson(), a.toJson());
    }
}
