package dev.segue.generator;

/**
 * What a playlist is for (workout, chill, christmas...). It biases track choice through the audio features:
 * a track's affinity is {@code exp(sum coef_f * standardised feature_f)}, or its christmas flag for christmas.
 */
public record Occasion(int id, String name, double weight, double[] coefficients, boolean christmas,
                       Phrases titles, String[] emoji) {

    /** Affinity of a track with these standardised features (christmas tracks are rare outside christmas). */
    public double affinity(double[] standardised, boolean christmasTrack) {
        if (christmas) {
            return christmasTrack ? 1.0 : 0.004;
        }
        double s = 0;
        for (int i = 0; i < coefficients.length; i++) {
            s += coefficients[i] * standardised[i];
        }
        return Math.exp(Math.max(-8, Math.min(8, s))) * (christmasTrack ? 0.03 : 1.0);
    }
}
