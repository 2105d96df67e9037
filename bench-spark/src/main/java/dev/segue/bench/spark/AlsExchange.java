package dev.segue.bench.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files {@code segue bench als} and {@link SparkAlsPeer} exchange (big-endian, both starting with
 * {@link #MAGIC}). Free of Spark classes, so the benchmark command reads and writes them without Spark on its
 * class path.
 */
public final class AlsExchange {
    /** First bytes of both files (the format has no other version). */
    public static final long MAGIC = 0x5345475545414C53L; // "SEGUEALS"

    private AlsExchange() {}

    /** The job's input: a playlist × track matrix as coordinates with raw counts, and the ALS parameters. */
    public record Input(int users, int items, int[] rows, int[] cols, float[] counts, int rank, int iterations,
            double alpha, double lambda, int threads, long seed) {}

    /** The job's output. {@code iterationSeconds} may be shorter than the iterations (see {@link SparkAlsPeer}). */
    public record Output(double setupSeconds, double fitSeconds, double fitCpuSeconds, double[] iterationSeconds,
            long peakHeapBytes, int rank, float[] userFactors, float[] itemFactors) {}

    public static void writeInput(Path file, Input in) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeLong(MAGIC);
            out.writeInt(in.users());
            out.writeInt(in.items());
            out.writeInt(in.rank());
            out.writeInt(in.iterations());
            out.writeDouble(in.alpha());
            out.writeDouble(in.lambda());
            out.writeInt(in.threads());
            out.writeLong(in.seed());
            out.writeInt(in.rows().length);
            for (int v : in.rows()) {
                out.writeInt(v);
            }
            for (int v : in.cols()) {
                out.writeInt(v);
            }
            for (float v : in.counts()) {
                out.writeFloat(v);
            }
        }
    }

    public static Input readInput(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            checkMagic(in, file);
            int users = in.readInt();
            int items = in.readInt();
            int rank = in.readInt();
            int iterations = in.readInt();
            double alpha = in.readDouble();
            double lambda = in.readDouble();
            int threads = in.readInt();
            long seed = in.readLong();
            int n = in.readInt();
            int[] rows = new int[n];
            int[] cols = new int[n];
            float[] counts = new float[n];
            for (int k = 0; k < n; k++) {
                rows[k] = in.readInt();
            }
            for (int k = 0; k < n; k++) {
                cols[k] = in.readInt();
            }
            for (int k = 0; k < n; k++) {
                counts[k] = in.readFloat();
            }
            return new Input(users, items, rows, cols, counts, rank, iterations, alpha, lambda, threads, seed);
        }
    }

    public static void writeOutput(Path file, Output o) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeLong(MAGIC);
            out.writeDouble(o.setupSeconds());
            out.writeDouble(o.fitSeconds());
            out.writeDouble(o.fitCpuSeconds());
            out.writeInt(o.iterationSeconds().length);
            for (double s : o.iterationSeconds()) {
                out.writeDouble(s);
            }
            out.writeLong(o.peakHeapBytes());
            out.writeInt(o.rank());
            writeFloats(out, o.userFactors());
            writeFloats(out, o.itemFactors());
        }
    }

    public static Output readOutput(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            checkMagic(in, file);
            double setup = in.readDouble();
            double fit = in.readDouble();
            double cpu = in.readDouble();
            double[] it = new double[in.readInt()];
            for (int k = 0; k < it.length; k++) {
                it[k] = in.readDouble();
            }
            long peak = in.readLong();
            int rank = in.readInt();
            return new Output(setup, fit, cpu, it, peak, rank, readFloats(in), readFloats(in));
        }
    }

    private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        for (float f : v) {
            out.writeFloat(f);
        }
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        float[] v = new float[in.readInt()];
        for (int k = 0; k < v.length; k++) {
            v[k] = in.readFloat();
        }
        return v;
    }

    private static void checkMagic(DataInputStream in, Path file) throws IOException {
        if (in.readLong() != MAGIC) {
            throw new IOException(file + " is not a segue bench als exchange file");
        }
    }
}
