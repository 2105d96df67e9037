package dev.segue.tools.als;

import dev.segue.format.MpdFiles;
import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.format.PlaylistArrayReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The playlist × track count matrix of an MPD folder in CSR form: row = playlist in slice order, column = track
 * in order of first appearance, {@code counts} = how often the playlist holds the track (the raw {@code r} of the
 * WRMF confidence). Each row's columns are ascending and distinct, as the pipeline's interaction blocks.
 */
record PlaylistMatrix(int rows, int columns, int[] rowStart, int[] cols, float[] counts) {

    long nnz() {
        return cols.length;
    }

    /** Reads every {@code mpd.slice.*.json} of {@code dir} (streaming); empty playlists are kept as empty rows. */
    static PlaylistMatrix readMpd(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--mpd " + dir + " is not a folder");
        }
        List<Path> slices = MpdFiles.listSlices(dir);
        if (slices.isEmpty()) {
            throw new IllegalArgumentException("--mpd " + dir + " holds no mpd.slice.*.json file");
        }
        Map<String, Integer> ids = new HashMap<>();
        int[] rowStart = new int[1024];
        int[] cols = new int[1 << 16];
        float[] counts = new float[1 << 16];
        int rows = 0;
        int nnz = 0;
        int[] row = new int[64];
        for (Path slice : slices) {
            try (PlaylistArrayReader<MpdPlaylist> reader = MpdFiles.readSlice(slice)) {
                MpdPlaylist p;
                while ((p = reader.next()) != null) {
                    List<MpdTrack> tracks = p.tracks();
                    if (row.length < tracks.size()) {
                        row = new int[Math.max(tracks.size(), row.length * 2)];
                    }
                    for (int k = 0; k < tracks.size(); k++) {
                        Integer id = ids.get(tracks.get(k).trackUri());
                        if (id == null) {
                            id = ids.size();
                            ids.put(tracks.get(k).trackUri(), id);
                        }
                        row[k] = id;
                    }
                    Arrays.sort(row, 0, tracks.size());
                    if (cols.length < nnz + tracks.size()) {
                        int grown = Math.max(nnz + tracks.size(), cols.length * 2);
                        cols = Arrays.copyOf(cols, grown);
                        counts = Arrays.copyOf(counts, grown);
                    }
                    for (int k = 0; k < tracks.size();) {
                        int id = row[k];
                        int c = 0;
                        while (k < tracks.size() && row[k] == id) {
                            c++;
                            k++;
                        }
                        cols[nnz] = id;
                        counts[nnz] = c;
                        nnz++;
                    }
                    if (rowStart.length < rows + 2) {
                        rowStart = Arrays.copyOf(rowStart, rowStart.length * 2);
                    }
                    rowStart[++rows] = nnz;
                }
            }
        }
        if (nnz == 0) {
            throw new IllegalArgumentException("--mpd " + dir + " holds no playlist with a track");
        }
        return new PlaylistMatrix(rows, ids.size(), Arrays.copyOf(rowStart, rows + 1), Arrays.copyOf(cols, nnz),
                Arrays.copyOf(counts, nnz));
    }
}
