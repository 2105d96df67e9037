package dev.segue.bench.spark;

import java.io.Serializable;
import java.nio.file.Paths;
import dev.segue.bench.spark.AlsExchange.Input;
import dev.segue.bench.spark.AlsExchange.Output;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;

/**
 * Spark MLlib's implicit ALS on the interactions {@code segue bench als} hands over, in a JVM of its own on this
 * module's class path: {@code java -cp … dev.segue.bench.spark.SparkAlsPeer IN OUT}. {@code IN} holds the
 * matrix and the parameters ({@link AlsExchange#readInput}), {@code OUT} receives the timings and both factor matrices
 * ({@link AlsExchange#writeOutput}); the caller scores them with the same code as its own factors.
 *
 * <p>Timings: setup is the session start plus building and caching the ratings {@code DataFrame}; the fit is
 * {@code ALS.fit}, which ends by materialising both factor sets. Implicit ALS runs one job per half-iteration
 * (the {@code YᵀY} aggregate of the factors just solved), so the time of iteration k is the span between the
 * ends of the Gram jobs of iterations k−1 and k; the first iteration and the final materialisation are
 * only in the whole fit.
 */
public final class SparkAlsPeer {
    private SparkAlsPeer() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: SparkAlsPeer INPUT OUTPUT");
            System.exit(2);
        }
        Input in = AlsExchange.readInput(Paths.get(args[0]));
        Output out = run(in);
        AlsExchange.writeOutput(Paths.get(args[1]), out);
    }

    /** Runs Spark's ALS on {@code local[threads]}. */
    public static Output run(Input in) {
        JvmMeter.resetPeaks();
        long t0 = System.nanoTime();
        SparkSession spark = SparkSession.builder()
                .master("local[" + in.threads() + "]")
                .appName("segue-bench-als")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", Integer.toString(Math.max(2, in.threads() * 2)))
                .getOrCreate();
        try {
            spark.sparkContext().setLogLevel("WARN");
            JobEnds jobEnds = new JobEnds();
            spark.sparkContext().addSparkListener(jobEnds);
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            StructType schema = new StructType()
                    .add("user", DataTypes.IntegerType, false)
                    .add("item", DataTypes.IntegerType, false)
                    .add("rating", DataTypes.FloatType, false);
            JavaRDD<Row> rows = jsc.parallelize(chunks(in, 1 << 16), Math.max(2, in.threads() * 2))
                    .flatMap(Chunk::rows);
            Dataset<Row> ratings = spark.createDataFrame(rows, schema).cache();
            long n = ratings.count();
            if (n != in.rows().length) {
                throw new IllegalStateException("Spark holds " + n + " ratings, expected " + in.rows().length);
            }
            double setup = (System.nanoTime() - t0) / 1e9;

            ALS als = new ALS().setImplicitPrefs(true).setRank(in.rank()).setMaxIter(in.iterations())
                    .setAlpha(in.alpha()).setRegParam(in.lambda()).setSeed(in.seed())
                    .setUserCol("user").setItemCol("item").setRatingCol("rating");
            int jobsBefore = jobEnds.count();
            long c0 = JvmMeter.processCpuNanos();
            long f0 = System.nanoTime();
            ALSModel model = als.fit(ratings);
            double fit = (System.nanoTime() - f0) / 1e9;
            double cpu = (JvmMeter.processCpuNanos() - c0) / 1e9;
            double[] perIteration = jobEnds.iterationSeconds(jobsBefore, f0, in.iterations());
            System.out.printf("segue-bench-als: fit ran %d Spark jobs (expected 2 per iteration + 2 at the end + "
                    + "the blocking jobs before); %d iteration spans%n", jobEnds.count() - jobsBefore, perIteration.length);

            float[] users = factors(model.userFactors(), in.users(), in.rank());
            float[] items = factors(model.itemFactors(), in.items(), in.rank());
            return new Output(setup, fit, cpu, perIteration, JvmMeter.peakHeap(), in.rank(), users, items);
        } finally {
            spark.stop();
        }
    }

    /** Factors by id into a dense row-major array (ids without ratings keep zeros). */
    private static float[] factors(Dataset<Row> df, int n, int d) {
        float[] out = new float[n * d];
        for (Row r : df.collectAsList()) {
            int id = r.getInt(0);
            Seq<Object> f = r.getSeq(1);
            if (id < 0 || id >= n || f.length() != d) {
                throw new IllegalStateException("Spark returned factor row " + id + " of length " + f.length());
            }
            for (int a = 0; a < d; a++) {
                out[id * d + a] = ((Number) f.apply(a)).floatValue();
            }
        }
        return out;
    }

    /** Records when each job ended (Spark calls listeners from its event thread). */
    static final class JobEnds extends SparkListener {
        private final List<Long> ends = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onJobEnd(SparkListenerJobEnd e) {
            ends.add(System.nanoTime());
        }

        int count() {
            return ends.size();
        }

        /**
         * The fit's jobs: Spark's implicit ALS runs a Gram aggregate before each half-iteration's solve, i.e.
         * jobs 2k+1 (k = 0..n−1, counted from the fit's first) compute the Gram of the user factors of
         * iteration k; the span between two of them is one whole iteration. Fewer jobs than expected (another
         * Spark version) give an empty array rather than wrong figures.
         */
        double[] iterationSeconds(int firstJob, long fitStart, int iterations) {
            List<Long> fitJobs;
            synchronized (ends) {
                fitJobs = new ArrayList<>(ends.subList(firstJob, ends.size()));
            }
            // Before the iterations the fit runs its own jobs (partitioning, blocks); the Gram jobs are the
            // last 2n before the final materialisation of the two factor sets (two jobs at the end).
            int gramJobs = 2 * iterations;
            int first = fitJobs.size() - 2 - gramJobs;
            if (first < 0 || iterations < 2) {
                return new double[0];
            }
            double[] out = new double[iterations - 1];
            for (int k = 1; k < iterations; k++) {
                long a = fitJobs.get(first + 2 * (k - 1));
                long b = fitJobs.get(first + 2 * k);
                out[k - 1] = (b - a) / 1e9;
            }
            return out;
        }
    }

    /** A slice of the coordinates, shipped to Spark's tasks. */
    static final class Chunk implements Serializable {
        private static final long serialVersionUID = 1L;
        final int[] rows;
        final int[] cols;
        final float[] counts;

        Chunk(int[] rows, int[] cols, float[] counts) {
            this.rows = rows;
            this.cols = cols;
            this.counts = counts;
        }

        Iterator<Row> rows() {
            return new Iterator<>() {
                int k;

                @Override
                public boolean hasNext() {
                    return k < rows.length;
                }

                @Override
                public Row next() {
                    if (k >= rows.length) {
                        throw new NoSuchElementException();
                    }
                    Row r = RowFactory.create(rows[k], cols[k], counts[k]);
                    k++;
                    return r;
                }
            };
        }
    }

    private static List<Chunk> chunks(Input in, int size) {
        List<Chunk> out = new ArrayList<>();
        int n = in.rows().length;
        for (int from = 0; from < n; from += size) {
            int to = Math.min(n, from + size);
            out.add(new Chunk(java.util.Arrays.copyOfRange(in.rows(), from, to),
                    java.util.Arrays.copyOfRange(in.cols(), from, to),
                    java.util.Arrays.copyOfRange(in.counts(), from, to)));
        }
        return out;
    }


}
