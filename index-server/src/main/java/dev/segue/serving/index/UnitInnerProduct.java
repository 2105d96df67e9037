package dev.segue.serving.index;

import com.github.jelmerk.hnswlib.core.DistanceFunction;

/**
 * {@code 1 − u·v} for vectors that are already unit length, the distance hnswlib-java builds the graph with:
 * no norm is recomputed per call (its cosine distance recomputes both). Four accumulators let the JIT
 * pipeline the multiply-adds.
 */
final class UnitInnerProduct implements DistanceFunction<float[], Float> {
    private static final long serialVersionUID = 1L;

    static final UnitInnerProduct INSTANCE = new UnitInnerProduct();

    @Override
    public Float distance(float[] u, float[] v) {
        return 1f - dot(u, v);
    }

    static float dot(float[] u, float[] v) {
        int n = u.length;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += u[i] * v[i];
            s1 += u[i + 1] * v[i + 1];
            s2 += u[i + 2] * v[i + 2];
            s3 += u[i + 3] * v[i + 3];
        }
        for (; i < n; i++) {
            s0 += u[i] * v[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
