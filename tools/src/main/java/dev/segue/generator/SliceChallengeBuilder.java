package dev.segue.generator;

import dev.segue.cli.ProgressMeter;
import com.fasterxml.jackson.databind.JsonNode;
import dev.segue.format.ChallengeCategory;
import dev.segue.format.ChallengePlaylist;
import dev.segue.format.FormatException;
import dev.segue.format.MpdFiles;
import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.format.PlaylistArrayReader;
import dev.segue.format.PlaylistFileWriter;
import dev.segue.format.SliceInfo;
import dev.segue.format.TruthPlaylist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a challenge set from any folder of MPD slices (the real MPD included), following MPD's category
 * construction ({@link ChallengeRules}): pass 1 reads every playlist's pid and length; categories are filled
 * narrowest length band first with eligible playlists in a seeded random order; pass 2 streams the slices
 * again, splitting the chosen playlists into challenge_set.json / truth.json and copying all others into
 * training slices of the same names. Memory holds one entry per playlist, never the playlists themselves.
 */
public final class SliceChallengeBuilder {
    /** What was written. */
    public record Result(int slices, long training, long challenge, long seedTracks, long holdoutTracks,
                         long challengeTracksNotInTraining) {}

    private SliceChallengeBuilder() {}

    public static Result build(Path mpdDir, Path outDir, int perCategory, long seed, boolean force, boolean progress)
            throws IOException {
        if (perCategory < 1) {
            throw new IllegalArgumentException("--per-category must be at least 1, got " + perCategory);
        }
        List<Path> slices;
        try {
            slices = MpdFiles.listSlices(mpdDir);
        } catch (IOException e) {
            throw new IllegalArgumentException("--mpd: " + e.getMessage());
        }
        if (slices.isEmpty()) {
            throw new IllegalArgumentException("no mpd.slice.<a>-<b>.json files in " + mpdDir);
        }
        if (Files.isDirectory(outDir.resolve("mpd"))
                && Files.isSameFile(outDir.resolve("mpd"), mpdDir)) {
            throw new IllegalArgumentException("--out must not contain the input slices (" + mpdDir + ")");
        }
        Index index = scan(slices, progress);
        Map<Long, ChallengeCategory> chosen = choose(index, perCategory, seed);
        OutputFolder.prepare(outDir, force, List.of("mpd", "challenge"));
        return write(slices, outDir, chosen, new RandomStreams(seed), index.pids.length, progress);
    }

    /** Pass 1: pid and length of every playlist. */
    private record Index(long[] pids, int[] lengths) {}

    private static Index scan(List<Path> slices, boolean progress) throws IOException {
        long[] pids = new long[1 << 12];
        int[] lengths = new int[1 << 12];
        int n = 0;
        Map<Long, Path> where = new HashMap<>();
        try (ProgressMeter bar = ProgressMeter.start("scanning", slices.size(), "slices", progress)) {
            for (Path file : slices) {
                try (PlaylistArrayReader<MpdPlaylist> r = MpdFiles.readSlice(file)) {
                    for (MpdPlaylist p = r.next(); p != null; p = r.next()) {
                        Path before = where.put(p.pid(), file);
                        if (before != null) {
                            throw new FormatException(file, 0, 0, "duplicate pid " + p.pid()
                                    + " (also in " + before.getFileName() + ")");
                        }
                        if (n == pids.length) {
                            pids = Arrays.copyOf(pids, n * 2);
                            lengths = Arrays.copyOf(lengths, n * 2);
                        }
                        pids[n] = p.pid();
                        lengths[n] = p.tracks().size();
                        n++;
                    }
                }
                bar.step(1);
            }
        }
        return new Index(Arrays.copyOf(pids, n), Arrays.copyOf(lengths, n));
    }

    /** Fills the categories, narrowest length band first, from one seeded random order of all playlists. */
    static Map<Long, ChallengeCategory> choose(Index index, int perCategory, long seed) {
        int n = index.pids.length;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            // priority in the high bits, position in the low 24 bits: ties cannot happen below 16M playlists
            keys[i] = (RandomStreams.mix64(seed ^ RandomStreams.mix64(index.pids[i])) & ~0xFFFFFFL) | i;
        }
        Arrays.sort(keys);
        boolean[] taken = new boolean[n];
        Map<Long, ChallengeCategory> chosen = new HashMap<>();
        for (ChallengeCategory c : scarcestFirst(index.lengths)) {
            int got = 0;
            for (int k = 0; k < n && got < perCategory; k++) {
                int i = (int) (keys[k] & 0xFFFFFFL);
                if (!taken[i] && ChallengeRules.eligible(c, index.lengths[i])) {
                    taken[i] = true;
                    chosen.put(index.pids[i], c);
                    got++;
                }
            }
            if (got < perCategory) {
                throw new IllegalArgumentException("only " + got + " playlists qualify for category " + c.id()
                        + " '" + c.label() + "' (" + ChallengeRules.minLength(c) + "-" + ChallengeRules.maxLength(c)
                        + " tracks) but --per-category is " + perCategory);
            }
        }
        return chosen;
    }

    /** Categories ordered by how few playlists qualify for them (filled first so they are not starved). */
    static List<ChallengeCategory> scarcestFirst(int[] lengths) {
        int[] eligible = new int[ChallengeCategory.values().length];
        for (int len : lengths) {
            for (ChallengeCategory c : ChallengeCategory.values()) {
                if (ChallengeRules.eligible(c, len)) {
                    eligible[c.ordinal()]++;
                }
            }
        }
        List<ChallengeCategory> order = new ArrayList<>(List.of(ChallengeCategory.values()));
        order.sort((a, b) -> {
            int c = Integer.compare(eligible[a.ordinal()], eligible[b.ordinal()]);
            return c != 0 ? c : Integer.compare(b.id(), a.id());
        });
        return order;
    }

    private static Result write(List<Path> slices, Path outDir, Map<Long, ChallengeCategory> chosen,
                                RandomStreams streams, int total, boolean progress) throws IOException {
        LongHashSet trainingTracks = new LongHashSet();
        List<Long> challengeTracks = new ArrayList<>();
        long training = 0;
        long challenge = 0;
        long seeds = 0;
        long holdouts = 0;
        try (PlaylistFileWriter<ChallengePlaylist> set = MpdFiles.writeChallenge(
                     outDir.resolve("challenge/challenge_set.json"), WorldGenerator.GENERATED_ON, WorldGenerator.VERSION);
             PlaylistFileWriter<TruthPlaylist> truth = MpdFiles.writeTruth(outDir.resolve("challenge/truth.json"),
                     WorldGenerator.VERSION);
             ProgressMeter bar = ProgressMeter.start("splitting", total, "playlists", progress)) {
            for (Path file : slices) {
                try (PlaylistArrayReader<MpdPlaylist> r = MpdFiles.readSlice(file)) {
                    SliceInfo info = info(r.readHeader().get("info"), file);
                    try (PlaylistFileWriter<MpdPlaylist> w = MpdFiles.writeSlice(
                            outDir.resolve("mpd").resolve(file.getFileName().toString()), info)) {
                        for (MpdPlaylist p = r.next(); p != null; p = r.next()) {
                            ChallengeCategory c = chosen.get(p.pid());
                            if (c == null) {
                                w.write(p);
                                training++;
                                for (MpdTrack t : p.tracks()) {
                                    trainingTracks.add(LongHashSet.fingerprint(t.trackUri()));
                                }
                            } else {
                                ChallengeRules.Split s = ChallengeRules.split(p, c,
                                        streams.stream(RandomStreams.Kind.SPLIT, p.pid()));
                                set.write(s.challenge());
                                truth.write(s.truth());
                                challenge++;
                                seeds += s.challenge().numSamples();
                                holdouts += s.challenge().numHoldouts();
                                for (MpdTrack t : p.tracks()) {
                                    challengeTracks.add(LongHashSet.fingerprint(t.trackUri()));
                                }
                            }
                            bar.step(1);
                        }
                        w.commit();
                    }
                }
            }
            set.commit();
            truth.commit();
        }
        long missing = 0;
        for (long h : challengeTracks) {
            if (!trainingTracks.contains(h)) {
                missing++;
            }
        }
        return new Result(slices.size(), training, challenge, seeds, holdouts, missing);
    }

    private static SliceInfo info(JsonNode info, Path file) {
        String name = file.getFileName().toString();
        String slice = name.substring("mpd.slice.".length(), name.length() - ".json".length());
        if (info == null || !info.isObject()) {
            return new SliceInfo(WorldGenerator.GENERATED_ON, slice, WorldGenerator.VERSION);
        }
        return new SliceInfo(info.path("generated_on").asText(WorldGenerator.GENERATED_ON),
                info.path("slice").asText(slice), info.path("version").asText(WorldGenerator.VERSION));
    }
}
