package dev.segue.generator;

/**
 * The latent theme of a playlist (or a listener's taste): a mixture of one to three fine genres, an occasion
 * (or none), favourite artists that recur in runs, and how much of the playlist comes from the favourites
 * and from noise. This is what truth/ records and what the oracle ranks by.
 *
 * @param genres fine genre ids, primary first
 * @param genreWeights mixture weights (sum 1)
 * @param occasion occasion id ({@code Taxonomy.occasions().size()} = none)
 * @param favorites favourite artist ids
 * @param favoriteWeights weights of the favourites (sum 1)
 * @param favoriteRate share of positions drawn from favourite artists
 * @param noiseRate share of the other positions drawn from global popularity
 * @param artistFocused a playlist about one artist (its title is often the artist's name)
 */
public record Theme(int[] genres, double[] genreWeights, int occasion, int[] favorites, double[] favoriteWeights,
                    double favoriteRate, double noiseRate, boolean artistFocused) {

    public int primaryGenre() {
        return genres[0];
    }
}
