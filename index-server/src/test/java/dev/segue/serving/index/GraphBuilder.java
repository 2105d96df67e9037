package dev.segue.serving.index;

/** Collects a graph's links per row (rows given in any order), then freezes them into a {@link FrozenGraph}. */
final class GraphBuilder {
    private final int rows;
    private final int maxM;
    private final int maxM0;
    private final int[] links0;
    private final int[] count0;
    private final int[][] upper;

    GraphBuilder(int rows, int maxM, int maxM0) {
        this.rows = rows;
        this.maxM = maxM;
        this.maxM0 = maxM0;
        this.links0 = new int[rows * maxM0];
        this.count0 = new int[rows];
        this.upper = new int[rows][];
    }

    /** Row {@code row} is on levels 0..top. */
    void level(int row, int top) {
        upper[row] = top == 0 ? null : new int[top * (maxM + 1)];
    }

    void links(int row, int level, int[] links) {
        int limit = level == 0 ? maxM0 : maxM;
        if (links.length > limit) {
            throw new IllegalStateException("row " + row + " has " + links.length + " links at level " + level
                    + ", more than " + limit);
        }
        for (int link : links) {
            if (link < 0 || link >= rows) {
                throw new IllegalStateException("row " + row + " links to row " + link + " outside 0.." + (rows - 1));
            }
        }
        if (level == 0) {
            System.arraycopy(links, 0, links0, row * maxM0, links.length);
            count0[row] = links.length;
        } else {
            int base = (level - 1) * (maxM + 1);
            upper[row][base] = links.length;
            System.arraycopy(links, 0, upper[row], base + 1, links.length);
        }
    }

    /** {@code vectors}: the raw factor rows (rows × dim) of the rows, built with reduction constant {@code maxNorm}. */
    FrozenGraph build(int entry, float[] vectors, int dim, float maxNorm) {
        if ((long) rows * dim != vectors.length) {
            throw new IllegalStateException(vectors.length + " vector values for " + rows + " rows of " + dim);
        }
        if (rows > 0 && (entry < 0 || entry >= rows)) {
            throw new IllegalStateException("entry point " + entry + " outside 0.." + (rows - 1));
        }
        return new FrozenGraph(rows, dim, vectors, maxNorm, maxM, maxM0, links0, count0, upper, entry);
    }
}
