package dev.segue.serving.index;

import dev.segue.math.VectorUtil;

/**
 * Packed row-major item factors {@code float[n*d]}, the single copy every component shares (fold-in, exact
 * scan, re-ranking). Never modified after construction.
 */
public final class FactorMatrix {
    private final float[] values;
    private final int rows;
    private final int dim;

    public FactorMatrix(float[] values, int rows, int dim) {
        if (dim < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dim);
        }
        if ((long) rows * dim != values.length) {
            throw new IllegalArgumentException("factor array has " + values.length + " values, expected "
                    + rows + " rows x " + dim);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("factor of row " + (i / dim) + ", component " + (i % dim)
                        + " is not finite: " + values[i]);
            }
        }
        this.values = values;
        this.rows = rows;
        this.dim = dim;
    }

    public int rows() {
        return rows;
    }

    public int dim() {
        return dim;
    }

    /** The backing array (not a copy): callers must not modify it. */
    public float[] values() {
        return values;
    }

    public float[] row(int row) {
        float[] out = new float[dim];
        System.arraycopy(values, row * dim, out, 0, dim);
        return out;
    }

    /** Inner product of row {@code row} with {@code q}: {@link VectorUtil#dot}, the one score of Segue. */
    public float dot(int row, float[] q) {
        return VectorUtil.dot(values, row * dim, q, 0, dim);
    }

    public double norm(int row) {
        int off = row * dim;
        double s = 0;
        for (int i = 0; i < dim; i++) {
            double x = values[off + i];
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /** Throws unless {@code q} has this matrix's dimension and only finite components. */
    public void checkQuery(float[] q) {
        if (q == null) {
            throw new IllegalArgumentException("query vector is missing");
        }
        if (q.length != dim) {
            throw new IllegalArgumentException("query vector has dimension " + q.length + " but the factors have "
                    + dim);
        }
        for (int i = 0; i < dim; i++) {
            if (!Float.isFinite(q[i])) {
                throw new IllegalArgumentException("query vector component " + i + " is not finite: " + q[i]);
            }
        }
    }

    /** CRC32C of the raw bits, to tie a saved graph to the exact factors it was built from. */
    public long fingerprint() {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
        for (float v : values) {
            if (buf.remaining() < 4) {
                buf.flip();
                crc.update(buf);
                buf.clear();
            }
            buf.putInt(Float.floatToRawIntBits(v));
        }
        buf.flip();
        crc.update(buf);
        return crc.getValue() ^ ((long) rows << 32) ^ dim;
    }
}
