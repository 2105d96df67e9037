package dev.segue.generator;

/**
 * Everything that determines a generated world: the seed and the sizes. Two runs with equal specs write
 * byte-identical files.
 *
 * @param seed the world seed
 * @param playlists playlists in the mpd/ slices
 * @param challengePerCategory challenge playlists per category (ten categories)
 * @param users listeners in the logs
 * @param shape how playlists are made (theme model or drifting walk)
 * @param churn how listeners leave in the logs
 */
public record WorldSpec(long seed, int playlists, int challengePerCategory, int users, WorldShape shape,
                        ChurnStyle churn) {
    public static final int MIN_PLAYLISTS = 100;
    public static final int MAX_PLAYLISTS = 10_000_000;
    public static final int SLICE_SIZE = 1000;

    public WorldSpec {
        if (shape == null || churn == null) {
            throw new IllegalArgumentException("a world needs a playlist shape and a churn style");
        }
        if (playlists < MIN_PLAYLISTS || playlists > MAX_PLAYLISTS) {
            throw new IllegalArgumentException("playlists must be between " + MIN_PLAYLISTS + " and " + MAX_PLAYLISTS
                    + ", got " + playlists);
        }
        if (challengePerCategory < 1) {
            throw new IllegalArgumentException("challenge playlists per category must be at least 1, got "
                    + challengePerCategory);
        }
        if (users < 1) {
            throw new IllegalArgumentException("users must be at least 1, got " + users);
        }
    }

    /** A theme-model world with abrupt churn (the original generator). */
    public WorldSpec(long seed, int playlists, int challengePerCategory, int users) {
        this(seed, playlists, challengePerCategory, users, WorldShape.THEME, ChurnStyle.ABRUPT);
    }

    /** The same sizes and seed with another playlist shape and churn style. */
    public WorldSpec with(WorldShape newShape, ChurnStyle newChurn) {
        return new WorldSpec(seed, playlists, challengePerCategory, users, newShape, newChurn);
    }

    /** The defaults for {@code playlists}: a challenge of 10% of the playlists (at most 10,000), users ~ N/5. */
    public static WorldSpec of(long seed, int playlists) {
        int challenge = (int) Math.min(10_000, playlists / 10L);
        int users = (int) Math.max(2_000, Math.min(60_000, playlists / 5L));
        return new WorldSpec(seed, playlists, Math.max(1, challenge / 10), users);
    }

    public int challengePlaylists() {
        return challengePerCategory * 10;
    }

    public int slices() {
        return (playlists + SLICE_SIZE - 1) / SLICE_SIZE;
    }
}
