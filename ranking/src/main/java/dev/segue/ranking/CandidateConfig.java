package dev.segue.ranking;

/**
 * How many candidates each source contributes, and how the co-occurrence source weighs the seeds.
 *
 * @param wrmf           WRMF candidates kept from the caller's list (best first)
 * @param neighbours     co-occurrence candidates
 * @param title          title candidates
 * @param artist         artist-completion candidates
 * @param album          album-completion candidates
 * @param popular        globally popular candidates
 * @param recentSeeds    the co-occurrence source uses the last this-many seeds (playlist order)
 * @param recencyDecay   weight of a seed {@code j} places before the last one: {@code recencyDecay^j}, in (0, 1]
 * @param similaritySeeds the similarity features average over the last this-many seeds
 */
public record CandidateConfig(int wrmf, int neighbours, int title, int artist, int album, int popular,
                              int recentSeeds, double recencyDecay, int similaritySeeds) {
    public CandidateConfig {
        if (wrmf < 0 || neighbours < 0 || title < 0 || artist < 0 || album < 0 || popular < 0) {
            throw new IllegalArgumentException("candidate counts must be >= 0, got wrmf=" + wrmf + " neighbours="
                    + neighbours + " title=" + title + " artist=" + artist + " album=" + album + " popular=" + popular);
        }
        if (recentSeeds < 1 || similaritySeeds < 1) {
            throw new IllegalArgumentException("recentSeeds and similaritySeeds must be >= 1, got " + recentSeeds
                    + " and " + similaritySeeds);
        }
        if (!(recencyDecay > 0 && recencyDecay <= 1)) {
            throw new IllegalArgumentException("recencyDecay must be in (0, 1], got " + recencyDecay);
        }
    }

    /** WRMF 500, neighbours 300, title 100, artist 100, album 50, popular 300 (the drift world: long-seed requests gain from a deep popular list); last 25 seeds, decay 0.9; 5 seeds. */
    public static CandidateConfig defaults() {
        return new CandidateConfig(500, 300, 100, 100, 50, 300, 25, 0.9, 5);
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
