package dev.segue.vocab;

/**
 * A 64-bit fingerprint of a track URI (FNV-1a over the UTF-16 chars, then the SplitMix64 finaliser). The
 * ingest carries fingerprints instead of strings so a block of playlists stays small; the vocabulary maps
 * fingerprints to dense ids and fails loudly on the (astronomically unlikely) collision of two URIs.
 */
public final class UriHash {
    private UriHash() {}

    public static long of(String uri) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < uri.length(); i++) {
            h ^= uri.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return h;
    }

    /**
     * The shard of a fingerprint among {@code shards}: equal ranges of the signed fingerprint order, so a partial
     * sorted by fingerprint splits into contiguous slices.
     */
    public static int shard(long hash, int shards) {
        long unsignedHigh = (hash >>> 32) ^ 0x80000000L; // the high word, shifted so signed order is preserved
        return (int) ((unsignedHigh * shards) >>> 32);
    }
}
