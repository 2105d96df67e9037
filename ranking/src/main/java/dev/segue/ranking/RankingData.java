package dev.segue.ranking;

import dev.segue.format.FeatureSetContracts.TitleTracks;
import dev.segue.format.FeatureSetContracts.TrackFactors;
import dev.segue.format.FeatureSetContracts.TrackNeighbours;
import dev.segue.format.FeatureSetContracts.TrackStats;
import dev.segue.format.FeatureSetContracts.Tracks;
import dev.segue.format.TitleNormalizer;
import dev.segue.store.FeatureSetReader;
import dev.segue.store.FeatureStore;
import dev.segue.store.Snapshot;
import dev.segue.store.StoreException;
import dev.segue.store.Table;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the two stages need from one data version besides the factors the caller already holds, in primitive
 * arrays indexed by dense {@code track_id} (the key of {@code tracks}, {@code track_stats}, {@code title_tracks}
 * and {@code track_neighbours}). Immutable once built, so one instance serves any number of threads.
 *
 * <ul>
 *   <li>{@code track_stats} (required): playlists per track and the popularity order (playlists descending,
 *       ties by lower id);</li>
 *   <li>{@code tracks} (optional): artist and album of each track, as dense ids, with artist → tracks and
 *       album → tracks lists (CSR) in popularity order — the artist/album completion source;</li>
 *   <li>{@code title_tracks} (optional): per normalized title its tracks by count (CSR) and the title's playlist
 *       count — the title source and the title-conditional popularity;</li>
 *   <li>{@code track_neighbours} (optional): per track its co-occurrence neighbours best first (CSR of ids and
 *       scores) — the neighbour source.</li>
 * </ul>
 *
 * <p>A missing optional set switches its source off; {@link #missingSources()} says which and why, for the
 * server's status. Memory per million tracks: the per-track arrays about 48 MB (playlists 8 B and their log 4 B, artist and album
 * ids 8 B, popularity order and rank 8 B, the URI array 8 B, the artist and album CSRs 8 B plus their offsets, at most 8 B), the
 * URI → id map about 150 MB (to map callers' URIs), neighbours 8 B per pair (100 per track: 800 MB), title
 * tracks 12 B per (title, track) pair plus the title strings.
 *
 * <p>Versions are those of one pipeline run: {@link #load(FeatureStore, String)} takes the sets from the
 * snapshot that lists the given {@code track_factors} version, exactly as the index server pairs its titles and
 * popularity with its factors; {@link #load(FeatureStore, Map)} pins them.
 */
public final class RankingData {
    /** Sets read, in the order they are reported. */
    public static final List<String> SETS = List.of(TrackStats.NAME, Tracks.NAME, TitleTracks.NAME, TrackNeighbours.NAME);

    private final Map<String, String> versions;
    private final Map<String, String> missing;
    private final int trackCount;
    private final long[] playlists;
    /** {@code (float) ln(1 + playlists)} per track, computed once: every candidate source and feature reads it. */
    private final float[] logPlaylists;
    private final int[] popularityOrder;
    private final int[] popularityRank;
    private final Map<String, Integer> idOfUri;
    private final String[] uris;
    // tracks
    private final int[] artistOf;
    private final int[] albumOf;
    private final int[] artistOffsets;
    private final int[] artistTracks;
    private final int[] artistRankOf;
    private final int[] albumOffsets;
    private final int[] albumTracks;
    // title_tracks
    private final Map<String, Integer> titleIndex;
    private final long[] titleCount;
    private final int[] titleOffsets;
    private final int[] titleTrackIds;
    private final long[] titleTrackCounts;
    // track_neighbours
    private final int[] neighbourOffsets;
    private final int[] neighbourIds;
    private final float[] neighbourScores;

    private RankingData(Builder b) {
        this.versions = Collections.unmodifiableMap(new LinkedHashMap<>(b.versions));
        this.missing = Collections.unmodifiableMap(new LinkedHashMap<>(b.missing));
        this.trackCount = b.trackCount;
        this.playlists = b.playlists;
        this.logPlaylists = new float[trackCount];
        for (int t = 0; t < trackCount; t++) {
            logPlaylists[t] = (float) Math.log1p(playlists[t]);
        }
        this.popularityOrder = b.popularityOrder;
        this.popularityRank = b.popularityRank;
        this.idOfUri = b.idOfUri;
        this.uris = b.uris;
        this.artistOf = b.artistOf;
        this.albumOf = b.albumOf;
        this.artistOffsets = b.artistOffsets;
        this.artistTracks = b.artistTracks;
        this.artistRankOf = b.artistRankOf;
        this.albumOffsets = b.albumOffsets;
        this.albumTracks = b.albumTracks;
        this.titleIndex = b.titleIndex;
        this.titleCount = b.titleCount;
        this.titleOffsets = b.titleOffsets;
        this.titleTrackIds = b.titleTrackIds;
        this.titleTrackCounts = b.titleTrackCounts;
        this.neighbourOffsets = b.neighbourOffsets;
        this.neighbourIds = b.neighbourIds;
        this.neighbourScores = b.neighbourScores;
    }

    /**
     * Loads the sets of the pipeline run that wrote {@code track_factors} {@code factorsVersion} (its snapshot).
     * A store without snapshots, or factors written outside a run, get each set's latest version.
     *
     * @throws IllegalArgumentException the store has no {@code track_stats}, or a set's data breaks its contract
     */
    public static RankingData load(FeatureStore store, String factorsVersion) {
        Snapshot snapshot = store.snapshotOf(TrackFactors.NAME, factorsVersion).orElse(null);
        Map<String, String> versions = new LinkedHashMap<>();
        for (String set : SETS) {
            String v = snapshot != null ? snapshot.version(set) : latestOrNull(store, set);
            if (v != null) {
                versions.put(set, v);
            }
        }
        return load(store, versions);
    }

    /**
     * Loads the given versions (set → version; "latest" allowed). A set absent from the map is off; the map must
     * hold {@code track_stats}.
     */
    public static RankingData load(FeatureStore store, Map<String, String> versions) {
        String stats = versions.get(TrackStats.NAME);
        if (stats == null) {
            throw new IllegalArgumentException("ranking needs " + TrackStats.NAME + ", and " + store.location()
                    + " has no version of it for this run");
        }
        Builder b = new Builder();
        try (FeatureSetReader r = store.read(TrackStats.NAME, stats)) {
            Table t = r.readAll(TrackStats.TRACK_ID, TrackStats.TRACK_URI, TrackStats.PLAYLISTS);
            b.stats(t.ints(TrackStats.TRACK_ID), t.strings(TrackStats.TRACK_URI), t.longs(TrackStats.PLAYLISTS));
            b.versions.put(TrackStats.NAME, r.version());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TrackStats.NAME + " " + stats + ": " + e.getMessage(), e);
        }
        String tracks = versions.get(Tracks.NAME);
        if (tracks == null) {
            b.missing.put(Tracks.NAME, "no " + Tracks.NAME + " in the run: artist and album completion are off");
        } else {
            try (FeatureSetReader r = store.read(Tracks.NAME, tracks)) {
                Table t = r.readAll(Tracks.TRACK_ID, Tracks.ARTIST_URI, Tracks.ALBUM_URI);
                b.tracks(t.ints(Tracks.TRACK_ID), t.strings(Tracks.ARTIST_URI), t.strings(Tracks.ALBUM_URI));
                b.versions.put(Tracks.NAME, r.version());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(Tracks.NAME + " " + tracks + ": " + e.getMessage(), e);
            }
        }
        String titles = versions.get(TitleTracks.NAME);
        if (titles == null) {
            b.missing.put(TitleTracks.NAME, "no " + TitleTracks.NAME + " in the run: the title source is off");
        } else {
            try (FeatureSetReader r = store.read(TitleTracks.NAME, titles)) {
                Table t = r.readAll(TitleTracks.TITLE, TitleTracks.TRACK_ID, TitleTracks.COUNT, TitleTracks.TITLE_COUNT);
                b.titleTracks(t.strings(TitleTracks.TITLE), t.ints(TitleTracks.TRACK_ID), t.longs(TitleTracks.COUNT),
                        t.longs(TitleTracks.TITLE_COUNT));
                b.versions.put(TitleTracks.NAME, r.version());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(TitleTracks.NAME + " " + titles + ": " + e.getMessage(), e);
            }
        }
        String neighbours = versions.get(TrackNeighbours.NAME);
        if (neighbours == null) {
            b.missing.put(TrackNeighbours.NAME, "no " + TrackNeighbours.NAME
                    + " in the run: the co-occurrence source is off");
        } else {
            try (FeatureSetReader r = store.read(TrackNeighbours.NAME, neighbours)) {
                Table t = r.readAll(TrackNeighbours.TRACK_ID, TrackNeighbours.NEIGHBOUR_ID, TrackNeighbours.RANK,
                        TrackNeighbours.SCORE);
                b.neighbours(t.ints(TrackNeighbours.TRACK_ID), t.ints(TrackNeighbours.NEIGHBOUR_ID),
                        t.ints(TrackNeighbours.RANK), t.floats(TrackNeighbours.SCORE));
                b.versions.put(TrackNeighbours.NAME, r.version());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(TrackNeighbours.NAME + " " + neighbours + ": " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    private static String latestOrNull(FeatureStore store, String set) {
        try {
            return store.versions(set).isEmpty() ? null : store.latest(set).version();
        } catch (StoreException e) {
            return null;
        }
    }

    // ---- what was loaded ----

    /** Set → version actually read (the sets a ranker records it was built from). */
    public Map<String, String> versions() {
        return versions;
    }

    /** Set → why its source is off, for each optional set that was not loaded (empty: everything is on). */
    public Map<String, String> missingSources() {
        return missing;
    }

    /** One past the largest {@code track_id}. */
    public int trackCount() {
        return trackCount;
    }

    /** The {@code track_id} of a track URI, or -1. */
    public int trackId(String uri) {
        Integer id = idOfUri.get(uri);
        return id == null ? -1 : id;
    }

    /** The URI of a {@code track_id}, or null (an id without a {@code track_stats} row). */
    public String uri(int track) {
        return track >= 0 && track < trackCount ? uris[track] : null;
    }

    /**
     * The caller's row of every {@code track_id} ({@code -1}: the caller has no row for it), for
     * {@link FactorAccess#ofMatrix}: e.g. the server passes its catalog's URI → row lookup.
     */
    public int[] rowsByTrackId(java.util.function.ToIntFunction<String> rowOfUri) {
        int[] rows = new int[trackCount];
        for (int t = 0; t < trackCount; t++) {
            rows[t] = uris[t] == null ? -1 : rowOfUri.applyAsInt(uris[t]);
        }
        return rows;
    }

    // ---- track_stats ----

    /** Playlists holding the track (0 for an id with no stats). */
    public long playlists(int track) {
        return track >= 0 && track < trackCount ? playlists[track] : 0;
    }

    /**
     * {@code (float) Math.log1p(playlists(track))}, the popularity every candidate source and feature uses, from a
     * table built at load (the same floats; {@code log1p} per candidate was ~3 % of a served two-stage Continue).
     */
    public float logPlaylists(int track) {
        return track >= 0 && track < trackCount ? logPlaylists[track] : 0f;
    }

    /** 0 = most popular; -1 for an id with no stats. */
    public int popularityRank(int track) {
        return track >= 0 && track < trackCount ? popularityRank[track] : -1;
    }

    /** Track ids by popularity, most popular first (shared, do not modify). */
    int[] popularityOrder() {
        return popularityOrder;
    }

    // ---- tracks ----

    public boolean hasTracks() {
        return artistOf != null;
    }

    /** Dense artist id of a track, -1 unknown (or no {@code tracks}). */
    public int artist(int track) {
        return artistOf != null && track >= 0 && track < trackCount ? artistOf[track] : -1;
    }

    /** Dense album id of a track, -1 unknown (or no {@code tracks}). */
    public int album(int track) {
        return albumOf != null && track >= 0 && track < trackCount ? albumOf[track] : -1;
    }

    /**
     * 0-based popularity rank of a track among its artist's tracks (0 = the artist's most popular); -1 unknown (or
     * no {@code tracks}).
     */
    public int rankInArtist(int track) {
        return artistRankOf != null && track >= 0 && track < trackCount ? artistRankOf[track] : -1;
    }

    int artistStart(int artist) {
        return artistOffsets[artist];
    }

    int artistEnd(int artist) {
        return artistOffsets[artist + 1];
    }

    int artistTrack(int i) {
        return artistTracks[i];
    }

    int albumStart(int album) {
        return albumOffsets[album];
    }

    int albumEnd(int album) {
        return albumOffsets[album + 1];
    }

    int albumTrack(int i) {
        return albumTracks[i];
    }

    // ---- title_tracks ----

    public boolean hasTitleTracks() {
        return titleIndex != null;
    }

    /** Index of a raw title after {@link TitleNormalizer#normalize}, or -1 (unknown title or no title tracks). */
    public int title(String rawTitle) {
        if (titleIndex == null || rawTitle == null) {
            return -1;
        }
        Integer i = titleIndex.get(TitleNormalizer.normalize(rawTitle));
        return i == null ? -1 : i;
    }

    /** Playlists with the title. */
    public long titleCount(int title) {
        return titleCount[title];
    }

    int titleStart(int title) {
        return titleOffsets[title];
    }

    int titleEnd(int title) {
        return titleOffsets[title + 1];
    }

    int titleTrack(int i) {
        return titleTrackIds[i];
    }

    long titleTrackCount(int i) {
        return titleTrackCounts[i];
    }

    /** Playlists with the title holding the track (binary search is not possible: lists are by count; linear). */
    public long titleTrackCount(int title, int track) {
        for (int i = titleOffsets[title], end = titleOffsets[title + 1]; i < end; i++) {
            if (titleTrackIds[i] == track) {
                return titleTrackCounts[i];
            }
        }
        return 0;
    }

    // ---- track_neighbours ----

    public boolean hasNeighbours() {
        return neighbourOffsets != null;
    }

    int neighbourStart(int track) {
        return track >= 0 && track < trackCount ? neighbourOffsets[track] : 0;
    }

    int neighbourEnd(int track) {
        return track >= 0 && track < trackCount ? neighbourOffsets[track + 1] : 0;
    }

    int neighbour(int i) {
        return neighbourIds[i];
    }

    float neighbourScore(int i) {
        return neighbourScores[i];
    }

    /**
     * Builds a {@code RankingData} from columns (what {@link #load} reads); tests and callers that hold the sets in
     * memory use it directly. The arrays are those of the sets' contracts, rows in any order.
     */
    public static final class Builder {
        private final Map<String, String> versions = new LinkedHashMap<>();
        private final Map<String, String> missing = new LinkedHashMap<>();
        private int trackCount = -1;
        private long[] playlists;
        private int[] popularityOrder;
        private int[] popularityRank;
        private Map<String, Integer> idOfUri;
        private String[] uris;
        private int[] artistOf;
        private int[] albumOf;
        private int[] artistOffsets;
        private int[] artistTracks;
        private int[] artistRankOf;
        private int[] albumOffsets;
        private int[] albumTracks;
        private Map<String, Integer> titleIndex;
        private long[] titleCount;
        private int[] titleOffsets;
        private int[] titleTrackIds;
        private long[] titleTrackCounts;
        private int[] neighbourOffsets;
        private int[] neighbourIds;
        private float[] neighbourScores;

        /** {@code track_stats}: ids, URIs, playlists. */
        public Builder stats(int[] ids, String[] uris, long[] playlistCounts) {
            int max = -1;
            for (int id : ids) {
                if (id < 0) {
                    throw new IllegalArgumentException("negative track_id " + id);
                }
                max = Math.max(max, id);
            }
            trackCount = max + 1;
            playlists = new long[trackCount];
            idOfUri = new HashMap<>(ids.length * 2);
            this.uris = new String[trackCount];
            for (int i = 0; i < ids.length; i++) {
                playlists[ids[i]] = playlistCounts[i];
                this.uris[ids[i]] = uris[i];
                if (idOfUri.put(uris[i], ids[i]) != null) {
                    throw new IllegalArgumentException("track URI " + uris[i] + " appears twice");
                }
            }
            // most playlists first, ties by lower id: sort (MAX - playlists, id) packed into one long
            long[] order = new long[trackCount];
            for (int t = 0; t < trackCount; t++) {
                long p = playlists[t];
                if (p < 0 || p > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("track_id " + t + ": playlists " + p + " out of range");
                }
                order[t] = ((Integer.MAX_VALUE - p) << 32) | t;
            }
            Arrays.sort(order);
            popularityOrder = new int[trackCount];
            popularityRank = new int[trackCount];
            for (int i = 0; i < trackCount; i++) {
                int t = (int) order[i];
                popularityOrder[i] = t;
                popularityRank[t] = i;
            }
            return this;
        }

        /** {@code tracks}: ids, artist URIs, album URIs (after {@link #stats}). */
        public Builder tracks(int[] ids, String[] artistUris, String[] albumUris) {
            if (playlists == null) {
                throw new IllegalStateException("stats first");
            }
            artistOf = new int[trackCount];
            albumOf = new int[trackCount];
            Arrays.fill(artistOf, -1);
            Arrays.fill(albumOf, -1);
            Map<String, Integer> artists = new HashMap<>();
            Map<String, Integer> albums = new HashMap<>();
            for (int i = 0; i < ids.length; i++) {
                int t = ids[i];
                if (t < 0 || t >= trackCount) {
                    continue; // a track without stats cannot be a candidate
                }
                artistOf[t] = artists.computeIfAbsent(artistUris[i], k -> artists.size());
                albumOf[t] = albums.computeIfAbsent(albumUris[i], k -> albums.size());
            }
            int[][] a = groupByPopularity(artistOf, artists.size());
            artistOffsets = a[0];
            artistTracks = a[1];
            artistRankOf = new int[trackCount];
            Arrays.fill(artistRankOf, -1);
            for (int g = 0; g < artists.size(); g++) {
                for (int i = artistOffsets[g]; i < artistOffsets[g + 1]; i++) {
                    artistRankOf[artistTracks[i]] = i - artistOffsets[g];
                }
            }
            int[][] b = groupByPopularity(albumOf, albums.size());
            albumOffsets = b[0];
            albumTracks = b[1];
            return this;
        }

        private int[][] groupByPopularity(int[] groupOf, int groups) {
            int[] offsets = new int[groups + 1];
            for (int g : groupOf) {
                if (g >= 0) {
                    offsets[g + 1]++;
                }
            }
            for (int g = 0; g < groups; g++) {
                offsets[g + 1] += offsets[g];
            }
            int[] fill = Arrays.copyOf(offsets, groups);
            int[] members = new int[offsets[groups]];
            for (int t : popularityOrder) {
                int g = groupOf[t];
                if (g >= 0) {
                    members[fill[g]++] = t;
                }
            }
            return new int[][] {offsets, members};
        }

        /** {@code title_tracks}: title, track id, count, title count (after {@link #stats}). */
        public Builder titleTracks(String[] titles, int[] trackIds, long[] counts, long[] titleCounts) {
            if (playlists == null) {
                throw new IllegalStateException("stats first");
            }
            Integer[] order = new Integer[titles.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, c) -> {
                int cmp = titles[a].compareTo(titles[c]);
                if (cmp != 0) {
                    return cmp;
                }
                cmp = Long.compare(counts[c], counts[a]);
                return cmp != 0 ? cmp : Integer.compare(trackIds[a], trackIds[c]);
            });
            titleIndex = new HashMap<>();
            List<Long> tc = new ArrayList<>();
            List<Integer> offs = new ArrayList<>();
            titleTrackIds = new int[order.length];
            titleTrackCounts = new long[order.length];
            for (int i = 0; i < order.length; i++) {
                int r = order[i];
                if (i == 0 || !titles[r].equals(titles[order[i - 1]])) {
                    titleIndex.put(titles[r], titleIndex.size());
                    tc.add(titleCounts[r]);
                    offs.add(i);
                }
                titleTrackIds[i] = trackIds[r];
                titleTrackCounts[i] = counts[r];
            }
            offs.add(order.length);
            titleCount = tc.stream().mapToLong(Long::longValue).toArray();
            titleOffsets = offs.stream().mapToInt(Integer::intValue).toArray();
            return this;
        }

        /** {@code track_neighbours}: track, neighbour, rank, score (after {@link #stats}); kept in rank order. */
        public Builder neighbours(int[] tracks, int[] neighbourIdsIn, int[] ranks, float[] scores) {
            if (playlists == null) {
                throw new IllegalStateException("stats first");
            }
            // counting sort by track, then by rank within each track's (short) list: primitive, O(pairs)
            neighbourOffsets = new int[trackCount + 1];
            for (int t : tracks) {
                if (t < 0 || t >= trackCount) {
                    throw new IllegalArgumentException("track_id " + t + " has no track_stats row");
                }
                neighbourOffsets[t + 1]++;
            }
            for (int t = 0; t < trackCount; t++) {
                neighbourOffsets[t + 1] += neighbourOffsets[t];
            }
            int[] fill = Arrays.copyOf(neighbourOffsets, trackCount);
            int[] rankAt = new int[tracks.length];
            neighbourIds = new int[tracks.length];
            neighbourScores = new float[tracks.length];
            for (int i = 0; i < tracks.length; i++) {
                if (neighbourIdsIn[i] < 0 || neighbourIdsIn[i] >= trackCount || neighbourIdsIn[i] == tracks[i]) {
                    throw new IllegalArgumentException("track_id " + tracks[i] + ": neighbour_id " + neighbourIdsIn[i]
                            + " is not another track with a track_stats row");
                }
                int at = fill[tracks[i]]++;
                rankAt[at] = ranks[i];
                neighbourIds[at] = neighbourIdsIn[i];
                neighbourScores[at] = scores[i];
            }
            for (int t = 0; t < trackCount; t++) {
                for (int i = neighbourOffsets[t] + 1; i < neighbourOffsets[t + 1]; i++) {
                    // insertion sort by rank: lists are short and usually already in order
                    int r = rankAt[i];
                    int id = neighbourIds[i];
                    float sc = neighbourScores[i];
                    int j = i - 1;
                    while (j >= neighbourOffsets[t] && rankAt[j] > r) {
                        rankAt[j + 1] = rankAt[j];
                        neighbourIds[j + 1] = neighbourIds[j];
                        neighbourScores[j + 1] = neighbourScores[j];
                        j--;
                    }
                    rankAt[j + 1] = r;
                    neighbourIds[j + 1] = id;
                    neighbourScores[j + 1] = sc;
                }
            }
            return this;
        }

        /** Records the version a set came from (what {@link RankingData#versions()} reports). */
        public Builder version(String set, String version) {
            versions.put(set, version);
            return this;
        }

        public RankingData build() {
            if (playlists == null) {
                throw new IllegalStateException("track_stats are required");
            }
            if (artistOf == null) {
                missing.putIfAbsent(Tracks.NAME, "no " + Tracks.NAME + ": artist and album completion are off");
            }
            if (titleIndex == null) {
                missing.putIfAbsent(TitleTracks.NAME, "no " + TitleTracks.NAME + ": the title source is off");
            }
            if (neighbourOffsets == null) {
                missing.putIfAbsent(TrackNeighbours.NAME, "no " + TrackNeighbours.NAME
                        + ": the co-occurrence source is off");
            }
            return new RankingData(this);
        }
    }
}
