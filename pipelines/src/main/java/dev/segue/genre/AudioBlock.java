package dev.segue.genre;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Columnar rows of the audio file: Id, title, artist, the numeric features (row-major, {@link AudioLayout#NUMERIC}
 * order), the fine genre (null when missing) and the source line.
 */
public final class AudioBlock implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int WIDTH = AudioLayout.NUMERIC.size();

    int size;
    String[] id;
    String[] title;
    String[] artist;
    String[] topGenre;
    long[] line;
    double[] values;

    public AudioBlock(int capacity) {
        int c = Math.max(capacity, 16);
        id = new String[c];
        title = new String[c];
        artist = new String[c];
        topGenre = new String[c];
        line = new long[c];
        values = new double[c * WIDTH];
    }

    public int size() {
        return size;
    }

    void add(String rowId, String rowTitle, String rowArtist, String genre, long lineNo, double[] v, int vFrom) {
        if (size == id.length) {
            int n = size * 2;
            id = Arrays.copyOf(id, n);
            title = Arrays.copyOf(title, n);
            artist = Arrays.copyOf(artist, n);
            topGenre = Arrays.copyOf(topGenre, n);
            line = Arrays.copyOf(line, n);
            values = Arrays.copyOf(values, n * WIDTH);
        }
        id[size] = rowId;
        title[size] = rowTitle;
        artist[size] = rowArtist;
        topGenre[size] = genre;
        line[size] = lineNo;
        System.arraycopy(v, vFrom, values, size * WIDTH, WIDTH);
        size++;
    }

    void addRow(AudioBlock from, int r) {
        add(from.id[r], from.title[r], from.artist[r], from.topGenre[r], from.line[r], from.values, r * WIDTH);
    }

    public double value(int row, int column) {
        return values[row * WIDTH + column];
    }
}
