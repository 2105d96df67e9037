package dev.segue.eval;

import dev.segue.cli.ProgressMeter;
import dev.segue.format.ChallengePlaylist;
import dev.segue.format.SubmissionFiles;
import dev.segue.metrics.ArtistLookup;
import dev.segue.metrics.MetricAccumulator;
import dev.segue.metrics.MetricLayout;
import dev.segue.metrics.PlaylistScorer;
import dev.segue.metrics.PlaylistTruth;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scores one method on an evaluation set: asks the source for every playlist, scores each answer as it
 * arrives (the one metric implementation, {@link PlaylistScorer}), retries failed playlists, and writes
 * the submission CSV of what was scored.
 */
public final class Evaluator {
    /**
     * @param k            list length asked for and scored
     * @param retries      extra passes over playlists that failed with a retryable error
     * @param retryBackoff wait before the first extra pass; doubled for each further pass
     * @param progress     where to draw a progress bar, or null for none
     */
    public record Options(int k, int retries, Duration retryBackoff, PrintStream progress) {
        public Options {
            if (k < 1) {
                throw new BadInputException("--k must be at least 1, got " + k);
            }
            if (retries < 0) {
                throw new BadInputException("--retries must be >= 0, got " + retries);
            }
        }
    }

    private final Options options;
    private final MetricLayout layout;
    private final ThreadLocal<PlaylistScorer> scorers = ThreadLocal.withInitial(PlaylistScorer::new);

    public Evaluator(Options options) {
        this.options = options;
        this.layout = MetricLayout.forListLength(options.k());
    }

    public MetricLayout layout() {
        return layout;
    }

    /**
     * Evaluates {@code source} on {@code set}.
     *
     * @param artists resolves artists of recommended tracks the source did not give (besides the set's own)
     * @param submission where to write the scored lists as a challenge submission, or null
     */
    public MethodResult evaluate(EvaluationSet set, RecommendationSource source, ArtistLookup artists,
                                 Path submission) throws Exception {
        int n = set.size();
        double[][] rows = new double[n][];
        String[] failure = new String[n];
        boolean[] retryable = new boolean[n];
        AtomicLong positions = new AtomicLong();
        AtomicLong unknownArtists = new AtomicLong();
        AtomicInteger shortLists = new AtomicInteger();
        double[] recall = new double[n];
        java.util.Arrays.fill(recall, Double.NaN);
        java.util.concurrent.atomic.AtomicBoolean anyCandidates = new java.util.concurrent.atomic.AtomicBoolean();
        ArtistLookup lookup = artists == null ? set : uri -> {
            String a = artists.artistOf(uri);
            return a != null ? a : set.artistOf(uri);
        };
        long start = System.nanoTime();
        int attempts = 0;
        try (SubmissionFiles.Writer writer = submission == null ? null
                : SubmissionFiles.write(submission, source.name(), "evaluation@segue.local");
             ProgressMeter bar = progressMeter(source.name(), n)) {
            List<Integer> pending = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                pending.add(i);
            }
            while (true) {
                attempts++;
                List<ChallengePlaylist> batch = new ArrayList<>(pending.size());
                for (int i : pending) {
                    batch.add(set.playlist(i));
                    failure[i] = null;
                }
                int[] global = pending.stream().mapToInt(Integer::intValue).toArray();
                // a failure inside scoring (e.g. the submission file cannot be written) may happen on a gRPC
                // thread that would swallow it: keep it and fail the run once the source returns
                java.util.concurrent.atomic.AtomicReference<RuntimeException> broken =
                        new java.util.concurrent.atomic.AtomicReference<>();
                source.recommend(batch, options.k(), new ResultSink() {
                    @Override
                    public void accept(int index, List<String> tracks, List<String> artistUris) {
                        try {
                            score(global[index], tracks, artistUris);
                        } catch (RuntimeException e) {
                            broken.compareAndSet(null, e);
                            throw e;
                        }
                    }

                    @Override
                    public void candidates(int index, java.util.Collection<String> candidateUris) {
                        int i = global[index];
                        recall[i] = candidateRecall(set.truth(i), candidateUris);
                        anyCandidates.set(true);
                    }

                    private void score(int i, List<String> tracks, List<String> artistUris) {
                        PlaylistScorer scorer = scorers.get();
                        scorer.load(set.truth(i), tracks, artistUris, lookup, options.k());
                        double[] row = new double[layout.size()];
                        scorer.scoreInto(layout, row);
                        positions.addAndGet(scorer.length());
                        unknownArtists.addAndGet(scorer.unknownArtists());
                        if (scorer.length() < options.k()) {
                            shortLists.incrementAndGet();
                        }
                        rows[i] = row;
                        if (writer != null) {
                            write(writer, set.playlist(i).pid(), tracks.subList(0, scorer.length()));
                        }
                        if (bar != null) {
                            bar.step(1);
                        }
                    }

                    @Override
                    public void fail(int index, String reason, boolean canRetry) {
                        int i = global[index];
                        failure[i] = reason;
                        retryable[i] = canRetry;
                        if (bar != null) {
                            bar.step(1);
                        }
                    }
                });
                if (broken.get() != null) {
                    throw broken.get();
                }
                List<Integer> again = new ArrayList<>();
                boolean anyFailed = false;
                for (int i : pending) {
                    if (rows[i] == null) {
                        anyFailed = true;
                        if (failure[i] == null) {
                            failure[i] = "no answer from the source";
                            retryable[i] = true;
                        }
                        if (retryable[i]) {
                            again.add(i);
                        }
                    }
                }
                if (!anyFailed || again.isEmpty() || attempts > options.retries()) {
                    break;
                }
                Thread.sleep(options.retryBackoff().toMillis() << (attempts - 1));
                if (bar != null) {
                    bar.step(-again.size());
                }
                pending = again;
            }
            if (writer != null) {
                writer.commit();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        MetricAccumulator acc = new MetricAccumulator(layout);
        List<MethodResult.Failure> failures = new ArrayList<>();
        double[] empty = emptyListScores(set);
        long[] pids = new long[n];
        int[] categories = new int[n];
        boolean[] answered = new boolean[n];
        double[][] perPlaylist = new double[layout.size()][n];
        for (int i = 0; i < n; i++) {
            double[] row = rows[i] == null ? empty : rows[i];
            if (rows[i] == null) {
                failures.add(new MethodResult.Failure(set.playlist(i).pid(), failure[i]));
            }
            acc.add(set.category(i), row);
            pids[i] = set.playlist(i).pid();
            categories[i] = set.category(i).id();
            answered[i] = rows[i] != null;
            for (int m = 0; m < row.length; m++) {
                perPlaylist[m][i] = row[m];
            }
        }
        List<String> keys = layout.metrics().stream().map(MetricLayout.Metric::key).toList();
        return new MethodResult(source.name(), source.kind(), source.description(), source.details(), acc, n,
                failures, attempts, seconds, positions.get(), unknownArtists.get(), shortLists.get(),
                new PlaylistScores(source.name(), pids, categories, answered, keys, perPlaylist),
                anyCandidates.get() ? recall : null);
    }

    /** Share of the truth's tracks inside {@code candidates} (distinct URIs; the truth is never empty). */
    static double candidateRecall(PlaylistTruth truth, java.util.Collection<String> candidates) {
        boolean[] hit = new boolean[truth.size()];
        int hits = 0;
        for (String uri : candidates) {
            int t = truth.trackIndex(uri);
            if (t >= 0 && !hit[t]) {
                hit[t] = true;
                hits++;
            }
        }
        return (double) hits / truth.size();
    }

    private double[] emptyListScores(EvaluationSet set) {
        double[] row = new double[layout.size()];
        scorers.get().load(set.truth(0), List.of(), null, null, options.k()).scoreInto(layout, row);
        return row;
    }

    private static void write(SubmissionFiles.Writer writer, long pid, List<String> tracks) {
        synchronized (writer) {
            try {
                writer.write(pid, tracks);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private ProgressMeter progressMeter(String task, int max) {
        return options.progress() == null ? null : ProgressMeter.on(options.progress(), task, max, "playlists", true);
    }
}
