package dev.segue.generator;

import java.util.SplittableRandom;

/**
 * Independent, reproducible random streams: every entity (a playlist, a user, an artist...) gets its own
 * generator derived from the world seed, the kind of entity and its index. Output therefore never depends on
 * which thread produced an entity or in which order.
 */
public final class RandomStreams {
    /** Stream kinds; changing a value changes every world generated with it. */
    public enum Kind {
        CATALOG(1), PLAYLIST(2), CHALLENGE(3), USER(4), AUDIO(5), TITLE(6), NAMES(7), SPLIT(8), WALK(9);

        final long salt;

        Kind(long salt) {
            this.salt = salt;
        }
    }

    private final long seed;

    public RandomStreams(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /** The generator for entity {@code index} of {@code kind}. */
    public SplittableRandom stream(Kind kind, long index) {
        return new SplittableRandom(mix64(mix64(seed * 0x9E3779B97F4A7C15L + kind.salt) ^ index));
    }

    /** A well-mixed hash of {@code x} (the SplitMix64 finaliser; a bijection on 64-bit values). */
    public static long mix64(long x) {
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }
}
