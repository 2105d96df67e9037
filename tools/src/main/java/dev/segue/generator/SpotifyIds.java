package dev.segue.generator;

/**
 * Spotify-style 22-character base62 ids. The first 11 characters encode a bijection of the index, so ids of
 * one kind never collide; the rest only make them look like real ids.
 */
public final class SpotifyIds {
    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final long salt;

    public SpotifyIds(long seed, String kind) {
        this.salt = RandomStreams.mix64(seed ^ kind.hashCode() * 0x9E3779B97F4A7C15L);
    }

    public String id(long index) {
        long v = RandomStreams.mix64(salt + index);
        long w = RandomStreams.mix64(v ^ 0x5DEECE66DL);
        char[] out = new char[22];
        encode(v, out, 0);
        encode(w, out, 11);
        return new String(out);
    }

    private static void encode(long value, char[] out, int at) {
        long v = value;
        for (int i = 10; i >= 0; i--) {
            int digit = (int) Long.remainderUnsigned(v, 62);
            out[at + i] = ALPHABET[digit];
            v = Long.divideUnsigned(v, 62);
        }
    }
}
