package dev.segue.generator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.format.TitleNormalizer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statistics MPD publishes in its stats.txt (playlists, track occurrences, unique tracks, albums,
 * artists, titles, normalised titles, average length, top titles) plus length percentiles and the playlist
 * metadata distributions. Works on any MPD playlists (unique items counted by URI) or on generated ones
 * (counted by catalog id, much cheaper); partial results from parallel workers are merged with {@link #merge}.
 */
public final class WorldStats {
    private static final int[] PERCENTILES = {1, 5, 10, 25, 50, 75, 90, 95, 99};
    private long playlists;
    private long occurrences;
    private final long[] lengths = new long[1024];
    private int maxLength;
    private long followersAtMost3;
    private long followersSum;
    private long maxFollowers;
    private long editsSum;
    private long durationSum;
    private long collaborative;
    private long descriptions;
    // Unique items are counted by URI, or by catalog id (bits) when the caller knows them (the generator).
    private final BitSet trackBits = new BitSet();
    private final BitSet albumBits = new BitSet();
    private final BitSet artistBits = new BitSet();
    private final Set<String> tracks = new HashSet<>();
    private final Set<String> albums = new HashSet<>();
    private final Set<String> artists = new HashSet<>();
    private final Set<String> titles = new HashSet<>();
    private final Map<String, Integer> normalizedTitles = new HashMap<>();

    /** Adds a playlist, counting unique tracks, albums and artists by URI. */
    public void add(MpdPlaylist p) {
        addMetadata(p);
        for (MpdTrack t : p.tracks()) {
            tracks.add(t.trackUri());
            albums.add(t.albumUri());
            artists.add(t.artistUri());
        }
    }

    /** Adds a generated playlist, counting unique items by catalog id ({@code trackIds} in playlist order). */
    public void add(MpdPlaylist p, int[] trackIds, Catalog catalog) {
        addMetadata(p);
        for (int t : trackIds) {
            trackBits.set(t);
            albumBits.set(catalog.albumOf(t));
            artistBits.set(catalog.artistOf(t));
        }
    }

    private void addMetadata(MpdPlaylist p) {
        playlists++;
        int n = p.tracks().size();
        occurrences += n;
        lengths[Math.min(n, lengths.length - 1)]++;
        maxLength = Math.max(maxLength, n);
        followersSum += p.numFollowers();
        if (p.numFollowers() <= 3) {
            followersAtMost3++;
        }
        maxFollowers = Math.max(maxFollowers, p.numFollowers());
        editsSum += p.numEdits();
        durationSum += p.durationMs();
        if (p.collaborative()) {
            collaborative++;
        }
        if (p.description() != null) {
            descriptions++;
        }
        titles.add(p.name());
        normalizedTitles.merge(TitleNormalizer.normalize(p.name()), 1, Integer::sum);
    }

    public void merge(WorldStats o) {
        playlists += o.playlists;
        occurrences += o.occurrences;
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] += o.lengths[i];
        }
        maxLength = Math.max(maxLength, o.maxLength);
        followersAtMost3 += o.followersAtMost3;
        followersSum += o.followersSum;
        maxFollowers = Math.max(maxFollowers, o.maxFollowers);
        editsSum += o.editsSum;
        durationSum += o.durationSum;
        collaborative += o.collaborative;
        descriptions += o.descriptions;
        trackBits.or(o.trackBits);
        albumBits.or(o.albumBits);
        artistBits.or(o.artistBits);
        tracks.addAll(o.tracks);
        albums.addAll(o.albums);
        artists.addAll(o.artists);
        titles.addAll(o.titles);
        o.normalizedTitles.forEach((k, v) -> normalizedTitles.merge(k, v, Integer::sum));
    }

    public long playlists() {
        return playlists;
    }

    public long occurrences() {
        return occurrences;
    }

    public int uniqueTracks() {
        return tracks.size() + trackBits.cardinality();
    }

    public int uniqueAlbums() {
        return albums.size() + albumBits.cardinality();
    }

    public int uniqueArtists() {
        return artists.size() + artistBits.cardinality();
    }

    public int uniqueTitles() {
        return titles.size();
    }

    public int uniqueNormalizedTitles() {
        return normalizedTitles.size();
    }

    public double meanLength() {
        return playlists == 0 ? 0 : occurrences / (double) playlists;
    }

    /** The smallest length with at least {@code pct}% of playlists at or below it. */
    public int lengthPercentile(double pct) {
        long need = (long) Math.ceil(playlists * pct / 100.0);
        long seen = 0;
        for (int i = 0; i < lengths.length; i++) {
            seen += lengths[i];
            if (seen >= Math.max(1, need)) {
                return i;
            }
        }
        return maxLength;
    }

    public int minLength() {
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] > 0) {
                return i;
            }
        }
        return 0;
    }

    public int maxLength() {
        return maxLength;
    }

    public double shareFollowersAtMost3() {
        return playlists == 0 ? 0 : followersAtMost3 / (double) playlists;
    }

    /** The most frequent normalised titles, most frequent first (ties alphabetical). */
    public List<Map.Entry<String, Integer>> topTitles(int k) {
        List<Map.Entry<String, Integer>> all = new ArrayList<>(normalizedTitles.entrySet());
        all.sort((a, b) -> {
            int c = Integer.compare(b.getValue(), a.getValue());
            return c != 0 ? c : a.getKey().compareTo(b.getKey());
        });
        return all.subList(0, Math.min(k, all.size()));
    }

    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("playlists", playlists);
        o.put("tracks", occurrences);
        o.put("unique_tracks", uniqueTracks());
        o.put("unique_albums", uniqueAlbums());
        o.put("unique_artists", uniqueArtists());
        o.put("unique_titles", titles.size());
        o.put("unique_normalized_titles", normalizedTitles.size());
        o.put("avg_playlist_length", round(meanLength()));
        ObjectNode pct = o.putObject("length_percentiles");
        pct.put("min", minLength());
        for (int p : PERCENTILES) {
            pct.put("p" + p, lengthPercentile(p));
        }
        pct.put("max", maxLength);
        o.put("avg_followers", round(playlists == 0 ? 0 : followersSum / (double) playlists));
        o.put("share_followers_at_most_3", round(shareFollowersAtMost3()));
        o.put("max_followers", maxFollowers);
        o.put("avg_edits", round(playlists == 0 ? 0 : editsSum / (double) playlists));
        o.put("avg_duration_ms", playlists == 0 ? 0 : durationSum / playlists);
        o.put("collaborative_share", round(playlists == 0 ? 0 : collaborative / (double) playlists));
        o.put("description_share", round(playlists == 0 ? 0 : descriptions / (double) playlists));
        ArrayNode top = o.putArray("top_normalized_titles");
        for (Map.Entry<String, Integer> e : topTitles(20)) {
            top.addObject().put("title", e.getKey()).put("count", e.getValue());
        }
        return o;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
