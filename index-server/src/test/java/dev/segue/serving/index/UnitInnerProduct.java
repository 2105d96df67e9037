package dev.segue.serving.index;

import dev.segue.math.VectorUtil;

import com.github.jelmerk.hnswlib.core.DistanceFunction;

/**
 * {@code 1 − u·v} for vectors that are already unit length, the distance hnswlib-java builds the graph with:
 * no norm is recomputed per call (its cosine distance recomputes both). The dot product is
 * {@link VectorUtil#dot}, the one every score comes from.
 */
final class UnitInnerProduct implements DistanceFunction<float[], Float> {
    private static final long serialVersionUID = 1L;

    static final UnitInnerProduct INSTANCE = new UnitInnerProduct();

    @Override
    public Float distance(float[] u, float[] v) {
        return 1f - VectorUtil.dot(u, v);
    }

}
