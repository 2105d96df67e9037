package dev.segue.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Entry points for reading and writing the playlist file formats (MPD slices, challenge sets, truth). */
public final class MpdFiles {
    private static final Pattern SLICE_NAME = Pattern.compile("mpd\\.slice\\.(\\d+)-(\\d+)\\.json");

    private MpdFiles() {}

    public static PlaylistArrayReader<MpdPlaylist> readSlice(Path file) throws IOException {
        return PlaylistArrayReader.open(file, MpdJson::playlist);
    }

    public static PlaylistArrayReader<ChallengePlaylist> readChallenge(Path file) throws IOException {
        return PlaylistArrayReader.open(file, MpdJson::challengePlaylist);
    }

    public static PlaylistArrayReader<TruthPlaylist> readTruth(Path file) throws IOException {
        return PlaylistArrayReader.open(file, MpdJson::truthPlaylist);
    }

    /** Reads a whole challenge set (they are small: 10,000 playlists at most in the challenge). */
    public static List<ChallengePlaylist> readChallengeSet(Path file) throws IOException {
        List<ChallengePlaylist> out = new ArrayList<>();
        try (PlaylistArrayReader<ChallengePlaylist> r = readChallenge(file)) {
            for (ChallengePlaylist p = r.next(); p != null; p = r.next()) {
                out.add(p);
            }
        }
        return out;
    }

    /** Reads a whole truth file. */
    public static List<TruthPlaylist> readTruthFile(Path file) throws IOException {
        List<TruthPlaylist> out = new ArrayList<>();
        try (PlaylistArrayReader<TruthPlaylist> r = readTruth(file)) {
            for (TruthPlaylist p = r.next(); p != null; p = r.next()) {
                out.add(p);
            }
        }
        return out;
    }

    /** The {@code mpd.slice.<a>-<b>.json} files of a folder, in slice order. */
    public static List<Path> listSlices(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("not a folder: " + dir);
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> SLICE_NAME.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(MpdFiles::sliceStart))
                    .toList();
        }
    }

    /** The canonical slice file name for playlists {@code start..end} (inclusive). */
    public static String sliceName(long start, long end) {
        return "mpd.slice." + start + "-" + end + ".json";
    }

    private static long sliceStart(Path p) {
        Matcher m = SLICE_NAME.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
    }

    public static PlaylistFileWriter<MpdPlaylist> writeSlice(Path file, SliceInfo info) throws IOException {
        return PlaylistFileWriter.open(file, Map.of(
                        "generated_on", info.generatedOn(), "slice", info.slice(), "version", info.version()),
                MpdJson::writePlaylist);
    }

    public static PlaylistFileWriter<ChallengePlaylist> writeChallenge(Path file, String date, String version)
            throws IOException {
        return PlaylistFileWriter.open(file, Map.of("date", date, "version", version),
                MpdJson::writeChallengePlaylist);
    }

    public static PlaylistFileWriter<TruthPlaylist> writeTruth(Path file, String version) throws IOException {
        return PlaylistFileWriter.open(file, Map.of("version", version), MpdJson::writeTruthPlaylist);
    }
}
