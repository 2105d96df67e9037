package dev.segue.ranking;

/**
 * How many candidates each source contributes, and how the co-occurrence source weighs the seeds.
 *
 * @param wrmf           WRMF candidates kept from the caller's list (best first)
 * @param neighbours     co-occurrence candidates
 * @param title          title candidates
 * @param artist         artist-completion candidates (at least; see {@code artistPerSeed})
 * @param album          album-completion candidates
 * @param popular        globally popular candidates
 * @param recentSeeds    the co-occurrence source uses the last this-many seeds (playlist order)
 * @param recencyDecay   weight of a seed {@code j} places before the last one: {@code recencyDecay^j}, in (0, 1]
 * @param similaritySeeds the similarity features average over the last this-many seeds
 * @param artistPerSeed  the artist source grows with the seeds: it proposes
 *                       {@code min(artistMax, max(artist, artistPerSeed · seeds))} candidates, since a request with
 *                       100 seeds spread over ~80 artists has far more seed-artist tracks to complete than one
 *                       with 5 (0: always {@code artist})
 * @param artistMax      the cap of that growth (&gt;= {@code artist})
 */
public record CandidateConfig(int wrmf, int neighbours, int title, int artist, int album, int popular,
                              int recentSeeds, double recencyDecay, int similaritySeeds,
                              int artistPerSeed, int artistMax) {
    public CandidateConfig {
        if (wrmf < 0 || neighbours < 0 || title < 0 || artist < 0 || album < 0 || popular < 0) {
            throw new IllegalArgumentException("candidate counts must be >= 0, got wrmf=" + wrmf + " neighbours="
                    + neighbours + " title=" + title + " artist=" + artist + " album=" + album + " popular=" + popular);
        }
        if (artistPerSeed < 0 || artistMax < artist) {
            throw new IllegalArgumentException("artistPerSeed must be >= 0 and artistMax >= artist, got artistPerSeed="
                    + artistPerSeed + " artistMax=" + artistMax + " artist=" + artist);
        }
        if (recentSeeds < 1 || similaritySeeds < 1) {
            throw new IllegalArgumentException("recentSeeds and similaritySeeds must be >= 1, got " + recentSeeds
                    + " and " + similaritySeeds);
        }
        if (!(recencyDecay > 0 && recencyDecay <= 1)) {
            throw new IllegalArgumentException("recencyDecay must be in (0, 1], got " + recencyDecay);
        }
    }

    /** Fixed counts: the artist source proposes {@code artist} candidates whatever the number of seeds. */
    public CandidateConfig(int wrmf, int neighbours, int title, int artist, int album, int popular,
                           int recentSeeds, double recencyDecay, int similaritySeeds) {
        this(wrmf, neighbours, title, artist, album, popular, recentSeeds, recencyDecay, similaritySeeds, 0, artist);
    }

    /**
     * WRMF 500, neighbours 300, title 100, artist 100 growing by 5 per seed up to 500 (100 random seeds: the
     * artist source's top 100 held 9 % of the held-out tracks, its top 500 23 %, docs/benchmarks.md 2026-12-07
     * 13:45), album 50, popular 300 (the drift world: long-seed requests gain from a deep popular list); last 25
     * seeds, decay 0.9; 5 seeds.
     */
    public static CandidateConfig defaults() {
        return new CandidateConfig(500, 300, 100, 100, 50, 300, 25, 0.9, 5, 5, 500);
    }

    /** How many candidates the artist source proposes for a request with {@code seeds} seeds. */
    public int artistCount(int seeds) {
        return (int) Math.min(artistMax, Math.max(artist, (long) artistPerSeed * seeds));
    }

    /** The count of one source. */
    public int count(Source s) {
        return switch (s) {
            case WRMF -> wrmf;
            case NEIGHBOURS -> neighbours;
            case TITLE -> title;
            case ARTIST -> artist;
            case ALBUM -> album;
            case POPULAR -> popular;
        };
    }
}
