package dev.segue.ranking;

import dev.segue.math.ScoreHeap;
import java.util.Arrays;
import java.util.EnumSet;

/**
 * The first stage: every source's candidates for one request, merged ({@link Candidates}). One implementation for
 * the server, the exact offline path and training. Stateless apart from its inputs: safe from many threads.
 *
 * <p>Scores per source (higher is better; ties by lower {@code track_id}, as {@link ScoreHeap} ranks):
 * <ul>
 *   <li>WRMF: the caller's score, the caller's order;</li>
 *   <li>neighbours: {@code Σ_j decay^j · score(seed_j, c)} over the last {@code recentSeeds} seeds, {@code j} = 0
 *       for the last seed, {@code score} the {@code track_neighbours} cosine;</li>
 *   <li>title: {@code count(title, c) / title_count}, the share of the title's playlists holding {@code c};</li>
 *   <li>artist / album: {@code share of seeds by c's artist (album) · ln(1 + playlists(c))};</li>
 *   <li>popular: {@code ln(1 + playlists(c))}; it proposes its own N plus the WRMF candidates the caller could not
 *       give ({@code wrmf − |WRMF list|}): a request the factor model cannot answer (an unknown title, no known
 *       seed) still gets a full candidate set, as long as the single stage's popularity fallback.</li>
 * </ul>
 */
public final class CandidateGenerator {
    private final RankingData data;
    private final CandidateConfig config;

    public CandidateGenerator(RankingData data, CandidateConfig config) {
        this.data = data;
        this.config = config;
    }

    public RankingData data() {
        return data;
    }

    public CandidateConfig config() {
        return config;
    }

    /** Whether a source can run with this data and configuration. */
    public boolean enabled(Source s) {
        if (config.count(s) == 0) {
            return false;
        }
        return switch (s) {
            case WRMF, POPULAR -> true;
            case NEIGHBOURS -> data.hasNeighbours();
            case TITLE -> data.hasTitleTracks();
            case ARTIST, ALBUM -> data.hasTracks();
        };
    }

    /** The merged candidates of {@code request}. */
    public Candidates generate(RankRequest request) {
        int[] seeds = request.seeds();
        IntSlots seedSet = new IntSlots(seeds.length);
        for (int s : seeds) {
            seedSet.put(s, 0, -1);
        }
        Source[] all = Source.values();
        int[][] lists = new int[all.length][];
        float[][] listScores = new float[all.length][];
        EnumSet<Source> ran = EnumSet.noneOf(Source.class);
        for (Source s : all) {
            if (!enabled(s)) {
                lists[s.ordinal()] = new int[0];
                listScores[s.ordinal()] = new float[0];
                continue;
            }
            ran.add(s);
            ScoreHeap heap = null;
            switch (s) {
                case WRMF -> {
                    int n = 0;
                    int[] ids = new int[Math.min(config.wrmf(), request.wrmfTracks().length)];
                    float[] sc = new float[ids.length];
                    IntSlots seen = new IntSlots(ids.length);
                    for (int i = 0; i < request.wrmfTracks().length && n < ids.length; i++) {
                        int t = request.wrmfTracks()[i];
                        if (t >= 0 && t < data.trackCount() && !seedSet.contains(t) && seen.put(t, 0, -1) == -1) {
                            ids[n] = t;
                            sc[n++] = request.wrmfScores()[i];
                        }
                    }
                    lists[s.ordinal()] = Arrays.copyOf(ids, n);
                    listScores[s.ordinal()] = Arrays.copyOf(sc, n);
                    continue;
                }
                case NEIGHBOURS -> heap = neighbours(seeds, seedSet);
                case TITLE -> heap = title(request, seedSet);
                case ARTIST -> heap = completion(seeds, seedSet, true);
                case ALBUM -> heap = completion(seeds, seedSet, false);
                case POPULAR -> heap = popular(seedSet, config.popular()
                        + Math.max(0, config.wrmf() - lists[Source.WRMF.ordinal()].length));
            }
            int n = heap.size();
            int[] ids = new int[n];
            float[] sc = new float[n];
            heap.drainBestFirst(ids, sc);
            lists[s.ordinal()] = ids;
            listScores[s.ordinal()] = sc;
        }
        return merge(lists, listScores, ran);
    }

    private static Candidates merge(int[][] lists, float[][] listScores, EnumSet<Source> ran) {
        int total = 0;
        for (int[] l : lists) {
            total += l.length;
        }
        IntSlots index = new IntSlots(total);
        int[] order = new int[total];
        int n = 0;
        for (int[] l : lists) {
            for (int t : l) {
                if (index.putIfAbsent(t, n, -1) == -1) {
                    order[n++] = t;
                }
            }
        }
        int sources = lists.length;
        float[] scores = new float[sources * n];
        int[] ranks = new int[sources * n];
        Arrays.fill(scores, Float.NaN);
        Arrays.fill(ranks, -1);
        int[] perSource = new int[sources];
        for (int s = 0; s < sources; s++) {
            perSource[s] = lists[s].length;
            for (int r = 0; r < lists[s].length; r++) {
                int i = index.get(lists[s][r], -1);
                scores[s * n + i] = listScores[s][r];
                ranks[s * n + i] = r;
            }
        }
        return new Candidates(Arrays.copyOf(order, n), scores, ranks, ran, perSource);
    }

    private ScoreHeap neighbours(int[] seeds, IntSlots seedSet) {
        int pairs = 0;
        for (int j = seeds.length - 1, used = 0; j >= 0 && used < config.recentSeeds(); j--, used++) {
            pairs += data.neighbourEnd(seeds[j]) - data.neighbourStart(seeds[j]);
        }
        // per candidate: its slot in ids/acc; the sum runs in seed order (most recent first), as it always has
        IntSlots slot = new IntSlots(pairs);
        int[] ids = new int[pairs];
        double[] acc = new double[pairs];
        int n = 0;
        double w = 1;
        for (int j = seeds.length - 1, used = 0; j >= 0 && used < config.recentSeeds(); j--, used++) {
            int seed = seeds[j];
            for (int i = data.neighbourStart(seed), end = data.neighbourEnd(seed); i < end; i++) {
                int c = data.neighbour(i);
                if (!seedSet.contains(c)) {
                    double v = w * data.neighbourScore(i);
                    int at = slot.putIfAbsent(c, n, -1);
                    if (at < 0) {
                        ids[n] = c;
                        acc[n++] = v;
                    } else {
                        acc[at] += v;
                    }
                }
            }
            w *= config.recencyDecay();
        }
        ScoreHeap heap = ScoreHeap.topK(config.neighbours());
        // offer in id order so the heap sees the same sequence whatever order the sums were found in
        long[] byId = new long[n];
        for (int i = 0; i < n; i++) {
            byId[i] = ((long) ids[i] << 32) | i;
        }
        Arrays.sort(byId);
        for (long e : byId) {
            heap.offer((int) (e >>> 32), (float) acc[(int) e]);
        }
        return heap;
    }

    private ScoreHeap title(RankRequest request, IntSlots seedSet) {
        ScoreHeap heap = ScoreHeap.topK(config.title());
        int title = request.hasTitle() ? data.title(request.title()) : -1;
        if (title < 0) {
            return heap;
        }
        double count = data.titleCount(title);
        for (int i = data.titleStart(title), end = data.titleEnd(title); i < end; i++) {
            int c = data.titleTrack(i);
            if (c >= 0 && c < data.trackCount() && !seedSet.contains(c)) {
                heap.offer(c, (float) (data.titleTrackCount(i) / count));
            }
        }
        return heap;
    }

    private ScoreHeap completion(int[] seeds, IntSlots seedSet, boolean artist) {
        int n = artist ? config.artistCount(seeds.length) : config.album();
        ScoreHeap heap = ScoreHeap.topK(n);
        if (seeds.length == 0) {
            return heap;
        }
        IntSlots groups = new IntSlots(seeds.length);
        int[] gs = new int[seeds.length];
        int distinct = 0;
        for (int s : seeds) {
            int g = artist ? data.artist(s) : data.album(s);
            if (g >= 0 && groups.put(g, groups.get(g, 0) + 1, -1) == -1) {
                gs[distinct++] = g;
            }
        }
        gs = Arrays.copyOf(gs, distinct);
        Arrays.sort(gs);
        for (int g : gs) {
            float share = (float) groups.get(g, 0) / seeds.length;
            int start = artist ? data.artistStart(g) : data.albumStart(g);
            int end = artist ? data.artistEnd(g) : data.albumEnd(g);
            int taken = 0;
            for (int i = start; i < end && taken < n; i++) {
                int c = artist ? data.artistTrack(i) : data.albumTrack(i);
                if (!seedSet.contains(c)) {
                    heap.offer(c, share * logPlaylists(data, c));
                    taken++;
                }
            }
        }
        return heap;
    }

    private ScoreHeap popular(IntSlots seedSet, int n) {
        ScoreHeap heap = ScoreHeap.topK(n);
        int[] order = data.popularityOrder();
        for (int i = 0, taken = 0; i < order.length && taken < n; i++) {
            if (!seedSet.contains(order[i])) {
                heap.offer(order[i], logPlaylists(data, order[i]));
                taken++;
            }
        }
        return heap;
    }

    /** {@code ln(1 + playlists(track))} as a float: the popularity every source and feature uses. */
    static float logPlaylists(RankingData data, int track) {
        return data.logPlaylists(track);
    }
}
