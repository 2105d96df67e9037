package dev.segue.eval;

import dev.segue.baselines.Recommender;
import dev.segue.format.ChallengePlaylist;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;

/** Runs an in-process {@link Recommender} (a baseline or a submission file) on a few threads. */
public final class RecommenderSource implements RecommendationSource {
    private final Recommender recommender;
    private final Kind kind;
    private final int threads;
    private final Map<String, String> details;

    public RecommenderSource(Recommender recommender, Kind kind, int threads, Map<String, String> details) {
        if (threads < 1) {
            throw new BadInputException("--concurrency must be at least 1, got " + threads);
        }
        this.recommender = recommender;
        this.kind = kind;
        this.threads = threads;
        this.details = details;
    }

    public Recommender recommender() {
        return recommender;
    }

    @Override
    public String name() {
        return recommender.name();
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public String description() {
        return recommender.description();
    }

    @Override
    public Map<String, String> details() {
        return details;
    }

    @Override
    public void recommend(List<ChallengePlaylist> playlists, int k, ResultSink sink) throws Exception {
        AtomicInteger next = new AtomicInteger();
        int block = Math.max(1, recommender.block());
        Runnable worker = () -> {
            // each thread takes the recommender's block of playlists at a time; a block that fails is answered
            // again one by one, so each playlist gets its own answer or its own error
            for (int from = next.getAndAdd(block); from < playlists.size(); from = next.getAndAdd(block)) {
                int to = Math.min(playlists.size(), from + block);
                Recommender.Answer[] answers = null;
                if (to - from > 1) {
                    try {
                        answers = recommender.answers(playlists.subList(from, to), k);
                    } catch (RuntimeException e) {
                        answers = null;
                    }
                }
                for (int i = from; i < to; i++) {
                    Recommender.Answer answer;
                    try {
                        answer = answers != null ? answers[i - from] : recommender.answer(playlists.get(i), k);
                    } catch (Recommender.NoRecommendationException e) {
                        sink.fail(i, e.getMessage(), false);
                        continue;
                    } catch (RuntimeException e) {
                        sink.fail(i, e.toString(), false);
                        continue;
                    }
                    if (answer.candidates() != null) {
                        sink.candidates(i, answer.candidates());
                    }
                    sink.accept(i, answer.tracks(), null);
                }
            }
        };
        if (threads == 1) {
            worker.run();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "segue-eval-" + recommender.name());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(worker));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
