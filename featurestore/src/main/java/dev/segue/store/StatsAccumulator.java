package dev.segue.store;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Mergeable running statistics of one column: exact count/nulls/min/max/mean/std (Welford, Chan merge),
 * a uniform reservoir sample for the histogram, exact value counts for categoricals, L2-norm moments for
 * embeddings. Parts written in parallel (Beam) each keep one and the commit merges them.
 */
public final class StatsAccumulator implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int SAMPLE = 8192;
    static final int MAX_DISTINCT = 100_000;
    static final int HISTOGRAM_BINS = 20;
    static final int TOP = 10;

    private final FeatureType type;
    private final boolean categorical;
    private long count;
    private long nulls;
    private long nan;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double mean;
    private double m2;
    private double[] sample = new double[64];
    private int sampleSize;
    private long sampleSeen;
    private transient SplittableRandom random;
    private HashMap<String, Long> values;
    private boolean distinctTruncated;
    private long zeroVectors;

    public StatsAccumulator(ColumnSpec spec) {
        this.type = spec.type();
        this.categorical = spec.categorical();
        if (categorical) {
            values = new HashMap<>();
        }
    }

    /** Adds rows [from, to) of a column. */
    public void add(Columnar.Column c, int from, int to) {
        boolean[] valid = c.valid();
        switch (c.type()) {
            case INT32 -> {
                int[] v = (int[]) c.values();
                for (int i = from; i < to; i++) {
                    if (valid != null && !valid[i]) nulls++; else addNumber(v[i]);
                }
            }
            case INT64, TIMESTAMP -> {
                long[] v = (long[]) c.values();
                for (int i = from; i < to; i++) {
                    if (valid != null && !valid[i]) nulls++; else addNumber(v[i]);
                }
            }
            case FLOAT32 -> {
                float[] v = (float[]) c.values();
                for (int i = from; i < to; i++) {
                    if (valid != null && !valid[i]) nulls++; else addNumber(v[i]);
                }
            }
            case FLOAT64 -> {
                double[] v = (double[]) c.values();
                for (int i = from; i < to; i++) {
                    if (valid != null && !valid[i]) nulls++; else addNumber(v[i]);
                }
            }
            case BOOL -> {
                boolean[] v = (boolean[]) c.values();
                for (int i = from; i < to; i++) {
                    if (valid != null && !valid[i]) nulls++; else addNumber(v[i] ? 1 : 0);
                }
            }
            case UTF8 -> {
                String[] v = (String[]) c.values();
                for (int i = from; i < to; i++) {
                    if (v[i] == null) {
                        nulls++;
                        continue;
                    }
                    addNumber(v[i].length());
                    if (categorical) {
                        addValue(v[i], 1);
                    }
                }
            }
            case EMBEDDING -> {
                float[] v = (float[]) c.values();
                int dim = c.dim();
                for (int i = from; i < to; i++) {
                    if (valid != null && !valid[i]) {
                        nulls++;
                        continue;
                    }
                    double s = 0;
                    for (int j = i * dim, e = j + dim; j < e; j++) {
                        s += (double) v[j] * v[j];
                    }
                    if (s == 0) {
                        zeroVectors++;
                    }
                    addNumber(Math.sqrt(s));
                }
            }
        }
    }

    private void addValue(String v, long n) {
        Long old = values.get(v);
        if (old != null) {
            values.put(v, old + n);
        } else if (values.size() < MAX_DISTINCT) {
            values.put(v, n);
        } else {
            distinctTruncated = true;
        }
    }

    private void addNumber(double x) {
        if (Double.isNaN(x)) {
            nan++;
            return;
        }
        count++;
        if (x < min) min = x;
        if (x > max) max = x;
        double d = x - mean;
        mean += d / count;
        m2 += d * (x - mean);
        sampleSeen++;
        if (sampleSize < SAMPLE) {
            if (sampleSize == sample.length) {
                sample = Arrays.copyOf(sample, Math.min(SAMPLE, sample.length * 2));
            }
            sample[sampleSize++] = x;
        } else {
            long j = random().nextLong(sampleSeen);
            if (j < SAMPLE) {
                sample[(int) j] = x;
            }
        }
    }

    private SplittableRandom random() {
        if (random == null) {
            random = new SplittableRandom(42 + sampleSeen);
        }
        return random;
    }

    /** Folds another accumulator of the same column into this one. */
    public void merge(StatsAccumulator o) {
        nulls += o.nulls;
        nan += o.nan;
        zeroVectors += o.zeroVectors;
        if (o.count > 0) {
            long n = count + o.count;
            double d = o.mean - mean;
            mean += d * o.count / n;
            m2 += o.m2 + d * d * ((double) count * o.count / n);
            min = Math.min(min, o.min);
            max = Math.max(max, o.max);
            mergeSample(o);
            count = n;
        }
        if (categorical) {
            o.values.forEach(this::addValue);
            distinctTruncated |= o.distinctTruncated;
        }
    }

    // Draw from each reservoir in proportion to the number of values it stands for.
    private void mergeSample(StatsAccumulator o) {
        int target = Math.min(SAMPLE, sampleSize + o.sampleSize);
        double[] out = new double[target];
        int a = 0;
        int b = 0;
        long wa = sampleSeen;
        long wb = o.sampleSeen;
        for (int k = 0; k < target; k++) {
            boolean fromA = b >= o.sampleSize || (a < sampleSize && random().nextLong(wa + wb) < wa);
            out[k] = fromA ? sample[a++] : o.sample[b++];
        }
        sample = out;
        sampleSize = target;
        sampleSeen += o.sampleSeen;
    }

    public ColumnStats finish() {
        Double mn = count > 0 ? min : null;
        Double mx = count > 0 ? max : null;
        Double mu = count > 0 ? mean : null;
        Double sd = count > 0 ? Math.sqrt(count > 1 ? m2 / (count - 1) : 0) : null;
        String t = type.name().toLowerCase() + (categorical ? " (categorical)" : "");
        Long nanOut = (type == FeatureType.FLOAT32 || type == FeatureType.FLOAT64) ? nan : null;
        if (type == FeatureType.EMBEDDING) {
            ColumnStats.Moments norm = count > 0 ? new ColumnStats.Moments(mn, mx, mu, sd) : null;
            return new ColumnStats(t, count + nulls, nulls, nan, null, null, null, null, null, null, null, null, norm, zeroVectors);
        }
        if (type == FeatureType.UTF8) {
            List<ColumnStats.ValueCount> top = null;
            Long distinct = null;
            if (categorical) {
                List<Map.Entry<String, Long>> es = new ArrayList<>(values.entrySet());
                es.sort((x, y) -> y.getValue().equals(x.getValue()) ? x.getKey().compareTo(y.getKey())
                        : Long.compare(y.getValue(), x.getValue()));
                top = es.stream().limit(TOP).map(e -> new ColumnStats.ValueCount(e.getKey(), e.getValue())).toList();
                distinct = (long) values.size();
            }
            // for strings min/max/mean describe the length in characters
            return new ColumnStats(t, count + nulls, nulls, null, mn, mx, mu, null, null, top, distinct,
                    categorical ? distinctTruncated : null, null, null);
        }
        return new ColumnStats(t, count + nulls + nan, nulls, nanOut, mn, mx, mu, sd, histogram(), null, null, null, null, null);
    }

    private ColumnStats.Histogram histogram() {
        if (count == 0) {
            return null;
        }
        int bins = min == max ? 1 : HISTOGRAM_BINS;
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            edges[i] = bins == 1 ? (i == 0 ? min : max) : min + (max - min) * i / bins;
        }
        long[] raw = new long[bins];
        for (int i = 0; i < sampleSize; i++) {
            int b = bins == 1 ? 0 : (int) ((sample[i] - min) / (max - min) * bins);
            raw[Math.min(bins - 1, Math.max(0, b))]++;
        }
        boolean sampled = sampleSize < count;
        if (!sampled) {
            return new ColumnStats.Histogram(edges, raw, false);
        }
        long[] scaled = new long[bins];
        for (int i = 0; i < bins; i++) {
            scaled[i] = Math.round((double) raw[i] * count / sampleSize);
        }
        return new ColumnStats.Histogram(edges, scaled, true);
    }
}
