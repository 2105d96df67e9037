package dev.segue.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorUtil}'s dot product on {@code jdk.incubator.vector} with a fixed 128-bit species whatever the
 * preferred width: its four lanes are the contract's four partial sums, a lane-wise multiply then add (two
 * roundings, as the scalar {@code s += a*b}) keeps every partial sum bit-identical to the scalar loop, and the
 * lanes are combined as {@code (s0 + s1) + (s2 + s3)} explicitly (the order of {@code reduceLanes} is
 * unspecified). Every x86-64 and aarch64 CPU has 128-bit vectors. Only loaded when the module is present.
 */
final class VectorFloatDot implements VectorUtil.FloatDot {
    public static final VectorFloatDot INSTANCE = new VectorFloatDot();

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_128;

    private VectorFloatDot() {}

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i + 3 < n; i += 4) {
            acc = acc.add(FloatVector.fromArray(S, a, aOff + i).mul(FloatVector.fromArray(S, b, bOff + i)));
        }
        float s0 = acc.lane(0);
        for (; i < n; i++) {
            s0 += a[aOff + i] * b[bOff + i];
        }
        return (s0 + acc.lane(1)) + (acc.lane(2) + acc.lane(3));
    }

    /** Four rows' lane chains interleaved: the same operations per row as {@link #dot}, four chains in flight. */
    @Override
    public void dot4(float[] a, int off0, int off1, int off2, int off3, float[] b, int bOff, int n, float[] out,
                     int outOff) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        FloatVector acc2 = FloatVector.zero(S);
        FloatVector acc3 = FloatVector.zero(S);
        int i = 0;
        for (; i + 3 < n; i += 4) {
            FloatVector q = FloatVector.fromArray(S, b, bOff + i);
            acc0 = acc0.add(FloatVector.fromArray(S, a, off0 + i).mul(q));
            acc1 = acc1.add(FloatVector.fromArray(S, a, off1 + i).mul(q));
            acc2 = acc2.add(FloatVector.fromArray(S, a, off2 + i).mul(q));
            acc3 = acc3.add(FloatVector.fromArray(S, a, off3 + i).mul(q));
        }
        out[outOff] = finish(acc0, a, off0, b, bOff, i, n);
        out[outOff + 1] = finish(acc1, a, off1, b, bOff, i, n);
        out[outOff + 2] = finish(acc2, a, off2, b, bOff, i, n);
        out[outOff + 3] = finish(acc3, a, off3, b, bOff, i, n);
    }

    /** The tail products into lane 0, then the lanes as {@code (s0 + s1) + (s2 + s3)}: as {@link #dot} ends. */
    private static float finish(FloatVector acc, float[] a, int aOff, float[] b, int bOff, int i, int n) {
        float s0 = acc.lane(0);
        for (; i < n; i++) {
            s0 += a[aOff + i] * b[bOff + i];
        }
        return (s0 + acc.lane(1)) + (acc.lane(2) + acc.lane(3));
    }

    @Override
    public String name() {
        return "simd-128bit";
    }
}
