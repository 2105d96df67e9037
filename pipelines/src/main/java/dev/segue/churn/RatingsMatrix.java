package dev.segue.churn;

import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.Table;
import java.util.Arrays;
import java.util.List;

/**
 * {@code user_song_ratings} as the sparse users × songs matrix a matrix factorisation consumes (the
 * continuation pipeline's implicit ALS takes the user side and the item side as CSR row blocks with dense
 * global indices): users are numbered 0.. in ascending uid, songs 0.. in ascending song id; {@link #users}
 * holds the user side (row = user, columns = songs ascending, values = ratings) and {@link #items} its
 * transpose. Use the ratings (1..5) directly as the implicit-feedback strength r in c = 1 + α·r.
 */
public record RatingsMatrix(long[] userIds, String[] songIds, Csr users, Csr items) {

    /** Compressed sparse rows: row r's columns are {@code cols[rowStart[r] .. rowStart[r+1])}. */
    public record Csr(int[] rowStart, int[] cols, float[] values) {
        public int rows() {
            return rowStart.length - 1;
        }
    }

    /** Reads the latest version of {@code user_song_ratings}. */
    public static RatingsMatrix read(FeatureStore store) {
        try (FeatureSetReader r = store.read(ChurnSchemas.RATINGS)) {
            return read(r);
        }
    }

    /** Reads the version of {@code user_song_ratings} that {@code r} is open on. */
    public static RatingsMatrix read(FeatureSetReader r) {
        Table t = r.readAll(List.of(ChurnSchemas.UID, ChurnSchemas.SONG_ID, ChurnSchemas.RATING));
        return of(t.longs(ChurnSchemas.UID), t.strings(ChurnSchemas.SONG_ID), t.doubles(ChurnSchemas.RATING));
    }

    /** Builds the matrix from parallel (uid, song, rating) columns; each (uid, song) pair must occur once. */
    public static RatingsMatrix of(long[] uid, String[] song, double[] rating) {
        int n = uid.length;
        long[] users = Arrays.stream(uid).distinct().sorted().toArray();
        String[] songs = Arrays.stream(song).distinct().sorted().toArray(String[]::new);
        int[] u = new int[n];
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            u[i] = Arrays.binarySearch(users, uid[i]);
            s[i] = Arrays.binarySearch(songs, song[i]);
        }
        Csr byUser = csr(users.length, u, s, rating);
        Csr bySong = csr(songs.length, s, u, rating);
        for (int r = 0; r < byUser.rows(); r++) {
            for (int k = byUser.rowStart()[r] + 1; k < byUser.rowStart()[r + 1]; k++) {
                if (byUser.cols()[k] == byUser.cols()[k - 1]) {
                    throw new IllegalArgumentException("user " + users[r] + " rates song " + songs[byUser.cols()[k]]
                            + " twice");
                }
            }
        }
        return new RatingsMatrix(users, songs, byUser, bySong);
    }

    private static Csr csr(int rows, int[] row, int[] col, double[] value) {
        int n = row.length;
        int[] start = new int[rows + 1];
        for (int r : row) {
            start[r + 1]++;
        }
        for (int r = 0; r < rows; r++) {
            start[r + 1] += start[r];
        }
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = ((long) row[i] << 32) | col[i];
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(keys[a], keys[b]));
        int[] cols = new int[n];
        float[] values = new float[n];
        for (int k = 0; k < n; k++) {
            cols[k] = col[order[k]];
            values[k] = (float) value[order[k]];
        }
        return new Csr(start, cols, values);
    }
}
