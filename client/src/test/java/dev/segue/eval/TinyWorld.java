package dev.segue.eval;

import dev.segue.format.ChallengePlaylist;
import dev.segue.format.MpdFiles;
import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.format.PlaylistFileWriter;
import dev.segue.format.SliceInfo;
import dev.segue.format.SubmissionFiles;
import dev.segue.format.TruthPlaylist;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A small generated world in the real file formats: 60 artists × 12 tracks in three genres, 240 training
 * playlists titled by genre, and a challenge of 20 playlists (two per category) with their truth. Within a
 * genre, low-numbered artists and tracks are more popular, so popularity baselines score above zero.
 */
public final class TinyWorld {
    static final String[] GENRES = {"rock", "chill", "party"};
    static final int ARTISTS = 60;
    static final int TRACKS_PER_ARTIST = 12;

    public final Path dir;
    public final Path mpd;
    public final Path challengeFile;
    public final Path truthFile;
    public final List<ChallengePlaylist> challenge = new ArrayList<>();
    public final List<TruthPlaylist> truth = new ArrayList<>();
    public final List<MpdPlaylist> training = new ArrayList<>();
    private final List<Integer> genreOfChallenge = new ArrayList<>();

    public TinyWorld(Path dir) throws IOException {
        this.dir = dir;
        this.mpd = dir.resolve("mpd");
        this.challengeFile = dir.resolve("challenge/challenge_set.json");
        this.truthFile = dir.resolve("challenge/truth.json");
        Random random = new Random(7);
        for (int pid = 0; pid < 240; pid++) {
            int genre = pid % 3;
            training.add(playlist(pid, GENRES[genre] + (pid % 7 == 0 ? "!!" : ""), draw(random, genre, 20)));
        }
        try (PlaylistFileWriter<MpdPlaylist> w = MpdFiles.writeSlice(mpd.resolve(MpdFiles.sliceName(0, 239)),
                new SliceInfo("2026-01-01", "0-239", "test"))) {
            for (MpdPlaylist p : training) {
                w.write(p);
            }
            w.commit();
        }
        int[][] categories = {{0, 1}, {1, 1}, {5, 1}, {5, 0}, {10, 1}, {10, 0}, {25, 1}, {25, 1}, {100, 1}, {100, 1}};
        long pid = 1000;
        for (int c = 0; c < categories.length; c++) {
            for (int rep = 0; rep < 2; rep++) {
                int genre = (c + rep) % 3;
                int seeds = categories[c][0];
                boolean title = categories[c][1] == 1;
                boolean randomSeeds = c == 7 || c == 9;
                List<MpdTrack> all = draw(random, genre, seeds + 15);
                List<MpdTrack> seedTracks = new ArrayList<>();
                List<MpdTrack> holdouts = new ArrayList<>();
                for (int i = 0; i < all.size(); i++) {
                    boolean isSeed = randomSeeds ? (i % 2 == 1 && seedTracks.size() < seeds) : i < seeds;
                    (isSeed ? seedTracks : holdouts).add(all.get(i));
                }
                while (seedTracks.size() < seeds) {
                    seedTracks.add(holdouts.remove(holdouts.size() - 1));
                }
                challenge.add(new ChallengePlaylist(pid, title ? GENRES[genre] : null, holdouts.size(),
                        seedTracks.size(), all.size(), seedTracks));
                truth.add(new TruthPlaylist(pid, c + 1, holdouts));
                genreOfChallenge.add(genre);
                pid++;
            }
        }
        try (PlaylistFileWriter<ChallengePlaylist> w = MpdFiles.writeChallenge(challengeFile, "2026-01-01", "test")) {
            for (ChallengePlaylist p : challenge) {
                w.write(p);
            }
            w.commit();
        }
        try (PlaylistFileWriter<TruthPlaylist> w = MpdFiles.writeTruth(truthFile, "test")) {
            for (TruthPlaylist t : truth) {
                w.write(t);
            }
            w.commit();
        }
    }

    static String trackUri(int artist, int track) {
        return "spotify:track:a" + artist + "t" + track;
    }

    static String artistUri(int artist) {
        return "spotify:artist:a" + artist;
    }

    static MpdTrack track(int pos, int artist, int track) {
        return new MpdTrack(pos, "Artist " + artist, trackUri(artist, track), artistUri(artist),
                "Song " + artist + "/" + track, "spotify:album:a" + artist, 200_000, "Album " + artist);
    }

    /** Distinct tracks of one genre: artist a ≡ genre (mod 3), skewed to popular artists and tracks. */
    static List<MpdTrack> draw(Random random, int genre, int n) {
        Set<String> seen = new LinkedHashSet<>();
        List<MpdTrack> out = new ArrayList<>();
        while (out.size() < n) {
            int a = genre + 3 * (int) Math.floor(Math.pow(random.nextDouble(), 2) * (ARTISTS / 3));
            int t = (int) Math.floor(Math.pow(random.nextDouble(), 2) * TRACKS_PER_ARTIST);
            if (seen.add(trackUri(a, t))) {
                out.add(track(out.size(), a, t));
            }
        }
        return out;
    }

    static MpdPlaylist playlist(long pid, String name, List<MpdTrack> tracks) {
        return new MpdPlaylist(name, false, pid, 1_500_000_000L, tracks.size(), 1, 0, 1, 0, 3, null, tracks);
    }

    /**
     * A perfect-knowledge oracle: each playlist's held-out tracks first, then the rest of its genre, then
     * anything, never a seed — {@code n} tracks per line.
     */
    public Path writeOracle(Path file, int n) throws IOException {
        try (SubmissionFiles.Writer w = SubmissionFiles.write(file, "oracle", "oracle@test")) {
            for (int i = 0; i < challenge.size(); i++) {
                w.write(challenge.get(i).pid(), oracleList(i, n));
            }
            w.commit();
        }
        return file;
    }

    public List<String> oracleList(int i, int n) {
        Set<String> seeds = new LinkedHashSet<>();
        challenge.get(i).tracks().forEach(t -> seeds.add(t.trackUri()));
        Set<String> out = new LinkedHashSet<>();
        truth.get(i).holdouts().forEach(t -> out.add(t.trackUri()));
        int genre = genreOfChallenge.get(i);
        for (int pass = 0; pass < 2; pass++) {
            for (int a = 0; a < ARTISTS; a++) {
                if ((pass == 0) != (a % 3 == genre)) {
                    continue;
                }
                for (int t = 0; t < TRACKS_PER_ARTIST; t++) {
                    out.add(trackUri(a, t));
                }
            }
        }
        out.removeAll(seeds);
        return new ArrayList<>(out).subList(0, n);
    }
}
