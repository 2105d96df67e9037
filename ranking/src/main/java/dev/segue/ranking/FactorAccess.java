package dev.segue.ranking;

import dev.segue.math.VectorUtil;

/**
 * The caller's track factors, seen by the rank features without being copied: the index server passes its
 * serving matrix, the evaluator and the training pipeline the factors they loaded. Tracks are addressed by dense
 * {@code track_id} (the id space of {@link RankingData}); a track without factors answers {@link #has} false and
 * its similarity features are missing. Every dot product is {@link VectorUtil#dot}, the one scoring dot product.
 */
public interface FactorAccess {
    /** Factor dimension. */
    int dim();

    /** True when {@code trackId} has factors. */
    boolean has(int trackId);

    /** The dot product of the track's factors and {@code vector} (length {@link #dim()}). */
    float dot(int trackId, float[] vector);

    /** The dot product of two tracks' factors. */
    float dot(int trackA, int trackB);

    /** No factors at all: every similarity feature is missing. */
    FactorAccess NONE = new FactorAccess() {
        @Override
        public int dim() {
            return 0;
        }

        @Override
        public boolean has(int trackId) {
            return false;
        }

        @Override
        public float dot(int trackId, float[] vector) {
            throw new IllegalStateException("no factors");
        }

        @Override
        public float dot(int trackA, int trackB) {
            throw new IllegalStateException("no factors");
        }
    };

    /**
     * A view of a row-major factor matrix ({@code rows × dim}, as {@code track_factors} is read) whose row of each
     * {@code track_id} is {@code rowOfTrack[trackId]} (-1: no factors). Nothing is copied.
     */
    static FactorAccess ofMatrix(float[] factors, int dim, int[] rowOfTrack) {
        if (dim <= 0 || factors.length % dim != 0) {
            throw new IllegalArgumentException("factor matrix of " + factors.length + " floats is not rows x " + dim);
        }
        int rows = factors.length / dim;
        for (int t = 0; t < rowOfTrack.length; t++) {
            if (rowOfTrack[t] >= rows) {
                throw new IllegalArgumentException("track_id " + t + " maps to row " + rowOfTrack[t] + " of " + rows);
            }
        }
        return new FactorAccess() {
            @Override
            public int dim() {
                return dim;
            }

            @Override
            public boolean has(int trackId) {
                return trackId >= 0 && trackId < rowOfTrack.length && rowOfTrack[trackId] >= 0;
            }

            @Override
            public float dot(int trackId, float[] vector) {
                return VectorUtil.dot(factors, rowOfTrack[trackId] * dim, vector, 0, dim);
            }

            @Override
            public float dot(int trackA, int trackB) {
                return VectorUtil.dot(factors, rowOfTrack[trackA] * dim, factors, rowOfTrack[trackB] * dim, dim);
            }
        };
    }
}
