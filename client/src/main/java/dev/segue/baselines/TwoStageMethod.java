package dev.segue.baselines;

import dev.segue.format.ChallengePlaylist;
import dev.segue.ranking.Candidates;
import dev.segue.ranking.OfflineTwoStage;
import dev.segue.ranking.RankRequest;
import dev.segue.ranking.TwoStage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact offline two-stage methods, through the ranking module's {@link OfflineTwoStage} (the path the ranker
 * is trained on): {@code two-stage} (exact WRMF candidates + neighbours, title, artist, album and popularity
 * candidates, ordered by the store's latest ranker) and {@code first-stage} (the same candidates in the first
 * stage's order: the ablation).
 */
final class TwoStageMethod implements Recommender {
    static final String TWO_STAGE = "two-stage";
    static final String FIRST_STAGE = "first-stage";

    private final OfflineTwoStage offline;
    private final boolean secondStage;
    private final String rankerVersion;

    TwoStageMethod(OfflineTwoStage offline, boolean secondStage, String rankerVersion) {
        if (secondStage && !offline.twoStage().hasRanker()) {
            throw new IllegalArgumentException("two-stage needs a ranker");
        }
        this.offline = offline;
        this.secondStage = secondStage;
        this.rankerVersion = rankerVersion;
    }

    @Override
    public String name() {
        return secondStage ? TWO_STAGE : FIRST_STAGE;
    }

    @Override
    public String description() {
        return secondStage
                ? "exact two-stage: exact WRMF + neighbour/title/artist/album/popular candidates, LambdaMART ranker "
                        + rankerVersion
                : "first stage only: the two-stage candidates in WRMF-then-sources order (ablation of the ranker)";
    }

    @Override
    public Map<String, String> details() {
        Map<String, String> d = new LinkedHashMap<>(ExactFoldIn.details(offline.wrmf()));
        offline.data().versions().forEach(d::putIfAbsent);
        if (secondStage) {
            d.put("ranker", rankerVersion);
        }
        offline.data().missingSources().forEach((set, why) -> d.put("off." + set, why));
        return d;
    }

    /** The request of a challenge playlist (exact WRMF candidates for its seeds and title). */
    RankRequest request(ChallengePlaylist playlist) {
        return offline.request(ExactFoldIn.seedUris(playlist), playlist.name(), !playlist.seedsInOrder());
    }

    @Override
    public List<String> recommend(ChallengePlaylist playlist, int k) {
        return uris(offline.recommend(request(playlist), k, secondStage).tracks());
    }

    /** The list and the whole first-stage candidate set it was ranked from (the same for both methods). */
    @Override
    public Answer answer(ChallengePlaylist playlist, int k) {
        return answer(request(playlist), k);
    }

    /** Requests scanned together per block of playlists ({@link OfflineTwoStage#requests}), then ranked. */
    @Override
    public Answer[] answers(List<ChallengePlaylist> playlists, int k) {
        List<List<String>> seeds = new ArrayList<>(playlists.size());
        List<String> titles = new ArrayList<>(playlists.size());
        boolean[] shuffled = new boolean[playlists.size()];
        for (int i = 0; i < shuffled.length; i++) {
            ChallengePlaylist p = playlists.get(i);
            seeds.add(ExactFoldIn.seedUris(p));
            titles.add(p.name());
            shuffled[i] = !p.seedsInOrder();
        }
        RankRequest[] requests = offline.requests(seeds, titles, shuffled);
        Answer[] out = new Answer[requests.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = answer(requests[i], k);
        }
        return out;
    }

    /** Eight playlists share one pass of the exact scan over the factors. */
    @Override
    public int block() {
        return 8;
    }

    /** {@link #answer(ChallengePlaylist, int)} of a request: candidates generated once, ranked and returned. */
    private Answer answer(RankRequest request, int k) {
        Candidates c = offline.generator().generate(request);
        List<String> tracks = uris(offline.recommend(request, c, k, secondStage).tracks());
        return new Answer(tracks, uris(java.util.Arrays.copyOf(c.tracks(), c.size())));
    }

    private List<String> uris(int[] tracks) {
        List<String> out = new ArrayList<>(tracks.length);
        for (int t : tracks) {
            out.add(offline.data().uri(t));
        }
        return out;
    }
}
