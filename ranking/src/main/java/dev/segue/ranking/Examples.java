package dev.segue.ranking;

import java.util.Arrays;

/**
 * Ranking examples: a row-major feature matrix, a label per row (1 relevant, 0 not; any non-negative grade
 * works), and the rows grouped by playlist (consecutive rows, {@link #groupSizes()}). Appended group by group
 * ({@link ExampleBuilder} makes one group per playlist); not thread-safe.
 */
public final class Examples {
    private final int features;
    private float[] x = new float[0];
    private float[] y = new float[0];
    private int[] groups = new int[0];
    private int rows;
    private int groupCount;

    public Examples(int features) {
        if (features < 1) {
            throw new IllegalArgumentException("examples need at least one feature, got " + features);
        }
        this.features = features;
    }

    /** Appends one group: {@code labels.length} rows of {@code features} values each. Empty groups are skipped. */
    public Examples add(float[] groupFeatures, float[] labels) {
        if (groupFeatures.length != labels.length * features) {
            throw new IllegalArgumentException("a group of " + labels.length + " rows needs " + labels.length * features
                    + " feature values, got " + groupFeatures.length);
        }
        if (labels.length == 0) {
            return this;
        }
        if ((rows + labels.length) * (long) features > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("more than " + Integer.MAX_VALUE + " feature values: split the examples");
        }
        x = grow(x, (rows + labels.length) * features);
        y = grow(y, rows + labels.length);
        System.arraycopy(groupFeatures, 0, x, rows * features, groupFeatures.length);
        System.arraycopy(labels, 0, y, rows, labels.length);
        if (groupCount == groups.length) {
            groups = Arrays.copyOf(groups, Math.max(16, groups.length * 2));
        }
        groups[groupCount++] = labels.length;
        rows += labels.length;
        return this;
    }

    /** Appends every group of {@code other}. */
    public Examples addAll(Examples other) {
        if (other.features != features) {
            throw new IllegalArgumentException("examples of " + other.features + " features into " + features);
        }
        int row = 0;
        for (int g = 0; g < other.groupCount; g++) {
            int n = other.groups[g];
            add(Arrays.copyOfRange(other.x, row * features, (row + n) * features),
                    Arrays.copyOfRange(other.y, row, row + n));
            row += n;
        }
        return this;
    }

    private static float[] grow(float[] a, int need) {
        return need <= a.length ? a : Arrays.copyOf(a, Math.max(need, a.length * 2));
    }

    public int features() {
        return features;
    }

    public int rows() {
        return rows;
    }

    public int groups() {
        return groupCount;
    }

    /** The feature matrix, {@code rows() × features()} (a copy). */
    public float[] matrix() {
        return Arrays.copyOf(x, rows * features);
    }

    /** The labels (a copy). */
    public float[] labels() {
        return Arrays.copyOf(y, rows);
    }

    /** Rows per group, in order (a copy). */
    public int[] groupSizes() {
        return Arrays.copyOf(groups, groupCount);
    }
}
