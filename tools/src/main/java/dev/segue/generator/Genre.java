package dev.segue.generator;

/**
 * A fine genre (a Spotify-style "top genre" label such as "dance pop") with its broad genre, its share of
 * playlist attention, the mean audio profile its tracks are drawn around, how often its artists record a
 * christmas album, and the title phrases its playlists use.
 */
public record Genre(int id, String label, int broad, String broadName, double weight, double[] profile,
                    double christmasRate, Phrases titles) {

    public double mean(AudioFeature f) {
        return profile[f.ordinal()];
    }
}
