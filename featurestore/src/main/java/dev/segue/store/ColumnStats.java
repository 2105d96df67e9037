package dev.segue.store;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * Statistics of one column computed at write time. Numerics (and timestamps, bools as 0/1) fill min..std and a
 * histogram; utf8 columns fill min/max/mean with string lengths, categoricals also topValues and distinct;
 * embeddings fill norm (L2 norm statistics) and zeroVectors. {@code count} includes nulls.
 * The histogram is exact when {@code histogram.sampled} is false, otherwise scaled from a uniform reservoir sample.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnStats(String type, long count, long nulls, Long nan, Double min, Double max, Double mean,
                          Double std, Histogram histogram, List<ValueCount> topValues, Long distinct,
                          Boolean distinctTruncated, Moments norm, Long zeroVectors) {

    public record Histogram(double[] edges, long[] counts, boolean sampled) {
    }

    public record ValueCount(String value, long count) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Moments(double min, double max, double mean, double std) {
    }
}
