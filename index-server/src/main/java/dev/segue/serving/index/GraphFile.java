package dev.segue.serving.index;

import java.io.IOException;

/**
 * The file format of one {@link FrozenGraph} inside a saved {@link MipsIndex}: rows, dim, M, M0, entry, then
 * the level-0 link counts, the level-0 links ({@code rows × M0}), each row's level count and the upper-level
 * blocks of the rows that have them. The vectors are not written: they are the factor rows, which the reader
 * has. Reading validates every link, so a corrupt file fails with an {@link IOException} naming the row.
 */
final class GraphFile {
    private GraphFile() {}

    static void write(FrozenGraph g, BulkIO.Writer out) throws IOException {
        int rows = g.rows;
        out.putInt(rows).putInt(g.dim).putInt(g.maxM).putInt(g.maxM0).putInt(g.entry);
        int[] levels = new int[rows];
        for (int r = 0; r < rows; r++) {
            levels[r] = g.levels(r);
        }
        out.putInts(g.count0, 0, rows).putInts(g.links0, 0, g.links0.length).putInts(levels, 0, rows);
        for (int r = 0; r < rows; r++) {
            if (g.upper[r] != null) {
                out.putInts(g.upper[r], 0, g.upper[r].length);
            }
        }
    }

    /** Reads a graph written by {@link #write}; {@code vectors} are its rows' raw factor rows (rows × dim). */
    static FrozenGraph read(BulkIO.Reader in, int expectedRows, int expectedDim, float[] vectors, float maxNorm)
            throws IOException {
        int rows = in.getInt();
        int dim = in.getInt();
        int maxM = in.getInt();
        int maxM0 = in.getInt();
        int entry = in.getInt();
        if (rows != expectedRows || dim != expectedDim || maxM < 1 || maxM0 < maxM || maxM0 > 4096
                || (rows > 0 && (entry < 0 || entry >= rows))) {
            throw new IOException("corrupt graph: " + rows + " rows of " + dim + ", M " + maxM + "/" + maxM0
                    + ", entry " + entry);
        }
        int[] count0 = new int[rows];
        in.getInts(count0);
        int[] links0 = new int[Math.multiplyExact(rows, maxM0)];
        in.getInts(links0);
        int[] levels = new int[rows];
        in.getInts(levels);
        int[][] upper = new int[rows][];
        for (int r = 0; r < rows; r++) {
            if (count0[r] < 0 || count0[r] > maxM0 || levels[r] < 0 || levels[r] > 64) {
                throw new IOException("corrupt graph: row " + r + " has " + count0[r] + " links, " + levels[r]
                        + " levels");
            }
            if (levels[r] > 0) {
                upper[r] = new int[levels[r] * (maxM + 1)];
                in.getInts(upper[r]);
            }
        }
        if (vectors.length != (long) rows * dim) {
            throw new IllegalStateException(vectors.length + " vector values for " + rows + " rows of " + dim);
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < count0[r]; j++) {
                int link = links0[r * maxM0 + j];
                if (link < 0 || link >= rows) {
                    throw new IOException("corrupt graph: row " + r + " links to " + link);
                }
            }
            for (int level = 1; level <= levels[r]; level++) {
                int base = (level - 1) * (maxM + 1);
                int n = upper[r][base];
                if (n < 0 || n > maxM) {
                    throw new IOException("corrupt graph: row " + r + " has " + n + " links at level " + level);
                }
                for (int j = 1; j <= n; j++) {
                    int link = upper[r][base + j];
                    if (link < 0 || link >= rows || levels[link] < level) {
                        throw new IOException("corrupt graph: row " + r + " links to " + link + " at level " + level);
                    }
                }
            }
        }
        if (rows > 0 && levels[entry] != maxLevel(levels)) {
            throw new IOException("corrupt graph: entry point " + entry + " is not on the top level");
        }
        return new FrozenGraph(rows, dim, vectors, maxNorm, maxM, maxM0, links0, count0, upper, entry);
    }

    private static int maxLevel(int[] levels) {
        int max = 0;
        for (int l : levels) {
            max = Math.max(max, l);
        }
        return max;
    }
}
