package dev.segue.pipelines.testing;

import dev.segue.format.MpdFiles;
import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.format.PlaylistFileWriter;
import dev.segue.format.SliceInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A small latent-theme playlist sampler for tests: each playlist picks a theme, draws most tracks from that
 * theme's pool (Zipf-skewed, so there are popular and rare tracks) and a few from everywhere, and gets a title
 * made of a theme word plus, sometimes, a generic word. Written as MPD slice files.
 */
public final class TinyMpd {
    public static final String[] THEME_WORDS = {"rock", "chill", "workout", "country", "jazz", "party", "indie", "gospel"};
    private static final String[] GENERIC_WORDS = {"mix", "playlist", "favorites", "2017", "songs"};

    public final int themes;
    public final int tracksPerTheme;
    public final List<MpdPlaylist> playlists = new ArrayList<>();
    public final int[] themeOf;

    public TinyMpd(int playlistCount, int themes, int tracksPerTheme, long seed) {
        this.themes = themes;
        this.tracksPerTheme = tracksPerTheme;
        this.themeOf = new int[playlistCount];
        Random rnd = new Random(seed);
        for (int p = 0; p < playlistCount; p++) {
            int theme = rnd.nextInt(themes);
            themeOf[p] = theme;
            int len = 8 + rnd.nextInt(25);
            List<MpdTrack> tracks = new ArrayList<>();
            Set<Integer> used = new LinkedHashSet<>();
            while (tracks.size() < len) {
                int t;
                if (rnd.nextDouble() < 0.85) {
                    t = theme * tracksPerTheme + zipf(rnd, tracksPerTheme);
                } else {
                    t = rnd.nextInt(themes) * tracksPerTheme + zipf(rnd, tracksPerTheme);
                }
                if (!used.add(t) && rnd.nextDouble() < 0.95) {
                    continue; // mostly distinct tracks, the odd repeat as in real playlists
                }
                tracks.add(track(t, tracks.size()));
            }
            String title = THEME_WORDS[theme % THEME_WORDS.length];
            double u = rnd.nextDouble();
            if (u < 0.4) {
                title = title + " " + GENERIC_WORDS[rnd.nextInt(GENERIC_WORDS.length)];
            } else if (u < 0.5) {
                title = title.toUpperCase() + "!!";
            } else if (u < 0.6) {
                title = GENERIC_WORDS[rnd.nextInt(GENERIC_WORDS.length)];
            }
            playlists.add(new MpdPlaylist(title, rnd.nextBoolean(), p, 1500000000L + p, tracks.size(), 1, 0, 1,
                    tracks.size() * 200000L, 1, p % 3 == 0 ? "desc" : null, tracks));
        }
    }

    /** Track number {@code t}: URI, artist per 5 tracks of a theme, album per 10. */
    public static MpdTrack track(int t, int pos) {
        return new MpdTrack(pos, "Artist " + (t / 5), "spotify:track:t" + t, "spotify:artist:a" + (t / 5),
                "Track " + t, "spotify:album:b" + (t / 10), 180000 + t, "Album " + (t / 10));
    }

    private static int zipf(Random rnd, int n) {
        // P(k) ∝ 1/(k+1): inverse of the continuous approximation.
        double u = rnd.nextDouble();
        int k = (int) Math.floor(Math.pow(n + 1, u)) - 1;
        return Math.min(Math.max(k, 0), n - 1);
    }

    /** Writes the playlists as slices of {@code perSlice} into {@code dir}; returns the folder. */
    public Path write(Path dir, int perSlice) throws IOException {
        Files.createDirectories(dir);
        for (int from = 0; from < playlists.size(); from += perSlice) {
            int to = Math.min(playlists.size(), from + perSlice);
            Path file = dir.resolve(MpdFiles.sliceName(from, to - 1));
            try (PlaylistFileWriter<MpdPlaylist> w = MpdFiles.writeSlice(file,
                    new SliceInfo("2017-12-03", from + "-" + (to - 1), "v1"))) {
                for (int p = from; p < to; p++) {
                    w.write(playlists.get(p));
                }
                w.commit();
            }
        }
        return dir;
    }
}
