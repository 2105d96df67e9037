package dev.segue.baselines;

import dev.segue.util.IntList;
import dev.segue.format.MalformedRecordException;
import dev.segue.format.MpdFiles;
import dev.segue.format.MpdPlaylist;
import dev.segue.format.MpdTrack;
import dev.segue.format.PlaylistArrayReader;
import dev.segue.format.TitleNormalizer;
import dev.segue.metrics.ArtistLookup;
import dev.segue.metrics.StringIntMap;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The training playlists (MPD slices) in the compact form the baselines need: dense track, artist and
 * normalised-title ids; track and artist occurrence counts; each playlist's distinct tracks (CSR); the
 * inverted index track → playlists; each artist's tracks and each title's playlists. Immutable after
 * {@link #load}; thread-safe.
 */
public final class TrainingData implements ArtistLookup {
    private final StringIntMap trackIds;
    private final String[] trackUris;
    private final int[] trackArtist;
    private final StringIntMap artistIds;
    private final String[] artistUris;
    private final int[] trackCount;
    private final long[] artistCount;
    private final int[] playlistOffsets;
    private final int[] playlistTracks;
    private final int[] playlistTitle;
    private final StringIntMap titleIds;
    private final String[] titles;
    private final int[] popularity;
    private final int[] popularityRank;
    private final int[] artistOffsets;
    private final int[] artistTracks;
    private final int[] postingOffsets;
    private final int[] postings;
    private final int[] titleOffsets;
    private final int[] titlePlaylists;
    private final long malformed;
    private final int slices;

    private TrainingData(Builder b) {
        this.trackIds = b.trackIds;
        this.trackUris = b.trackUris.toArray(new String[0]);
        this.trackArtist = b.trackArtist.toArray();
        this.artistIds = b.artistIds;
        this.artistUris = b.artistUris.toArray(new String[0]);
        this.playlistOffsets = b.playlistOffsets.toArray();
        this.playlistTracks = b.playlistTracks.toArray();
        this.playlistTitle = b.playlistTitle.toArray();
        this.titleIds = b.titleIds;
        this.titles = b.titles.toArray(new String[0]);
        this.malformed = b.malformed;
        this.slices = b.slices;
        int tracks = trackUris.length;
        this.trackCount = new int[tracks];
        for (int t : playlistTracks) {
            trackCount[t]++;
        }
        // occurrences count repeats within a playlist too (as MPD's statistics do)
        for (int i = 0; i < b.repeats.size(); i++) {
            trackCount[b.repeats.get(i)]++;
        }
        this.artistCount = new long[artistUris.length];
        for (int t = 0; t < tracks; t++) {
            artistCount[trackArtist[t]] += trackCount[t];
        }
        this.popularity = sortByPopularity(tracks);
        this.popularityRank = new int[tracks];
        for (int r = 0; r < tracks; r++) {
            popularityRank[popularity[r]] = r;
        }
        // artist -> tracks, in popularity order
        this.artistOffsets = new int[artistUris.length + 1];
        for (int t = 0; t < tracks; t++) {
            artistOffsets[trackArtist[t] + 1]++;
        }
        prefixSum(artistOffsets);
        this.artistTracks = new int[tracks];
        int[] fill = Arrays.copyOf(artistOffsets, artistOffsets.length);
        for (int t : popularity) {
            artistTracks[fill[trackArtist[t]]++] = t;
        }
        // track -> playlists
        this.postingOffsets = new int[tracks + 1];
        for (int t : playlistTracks) {
            postingOffsets[t + 1]++;
        }
        prefixSum(postingOffsets);
        this.postings = new int[playlistTracks.length];
        fill = Arrays.copyOf(postingOffsets, postingOffsets.length);
        for (int p = 0; p < playlistCount(); p++) {
            for (int i = playlistOffsets[p]; i < playlistOffsets[p + 1]; i++) {
                postings[fill[playlistTracks[i]]++] = p;
            }
        }
        // title -> playlists
        this.titleOffsets = new int[titles.length + 1];
        for (int title : playlistTitle) {
            titleOffsets[title + 1]++;
        }
        prefixSum(titleOffsets);
        this.titlePlaylists = new int[playlistTitle.length];
        fill = Arrays.copyOf(titleOffsets, titleOffsets.length);
        for (int p = 0; p < playlistTitle.length; p++) {
            titlePlaylists[fill[playlistTitle[p]]++] = p;
        }
    }

    /**
     * Reads every {@code mpd.slice.*.json} of {@code mpdDir}. Malformed playlists are skipped and counted;
     * a file that is not valid JSON stops the load with a {@link dev.segue.format.FormatException}.
     *
     * @param onSlice called after each slice with the number of slices read so far (for progress)
     */
    public static TrainingData load(Path mpdDir, IntConsumer onSlice) throws IOException {
        List<Path> files = MpdFiles.listSlices(mpdDir);
        if (files.isEmpty()) {
            throw new IOException("no mpd.slice.*.json files in " + mpdDir);
        }
        Builder b = new Builder();
        for (Path file : files) {
            try (PlaylistArrayReader<MpdPlaylist> reader = MpdFiles.readSlice(file)) {
                while (true) {
                    MpdPlaylist p;
                    try {
                        p = reader.next();
                    } catch (MalformedRecordException e) {
                        b.malformed++;
                        continue;
                    }
                    if (p == null) {
                        break;
                    }
                    b.add(p.name(), p.tracks());
                }
            }
            b.slices++;
            if (onSlice != null) {
                onSlice.accept(b.slices);
            }
        }
        return new TrainingData(b);
    }

    /** Builds from in-memory playlists (tests, generated data). */
    public static TrainingData of(List<MpdPlaylist> playlists) {
        Builder b = new Builder();
        for (MpdPlaylist p : playlists) {
            b.add(p.name(), p.tracks());
        }
        return new TrainingData(b);
    }

    private int[] sortByPopularity(int tracks) {
        Integer[] order = new Integer[tracks];
        for (int i = 0; i < tracks; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> {
            int c = Integer.compare(trackCount[y], trackCount[x]);
            return c != 0 ? c : trackUris[x].compareTo(trackUris[y]);
        });
        int[] out = new int[tracks];
        for (int i = 0; i < tracks; i++) {
            out[i] = order[i];
        }
        return out;
    }

    private static void prefixSum(int[] a) {
        for (int i = 1; i < a.length; i++) {
            a[i] += a[i - 1];
        }
    }

    public int trackCount() {
        return trackUris.length;
    }

    public int artistCount() {
        return artistUris.length;
    }

    public int playlistCount() {
        return playlistOffsets.length - 1;
    }

    public int titleCount() {
        return titles.length;
    }

    public long malformedPlaylists() {
        return malformed;
    }

    public int slices() {
        return slices;
    }

    /** Dense id of a track URI, or -1. */
    public int trackId(String uri) {
        return trackIds.get(uri);
    }

    public String trackUri(int track) {
        return trackUris[track];
    }

    public int artistOfTrack(int track) {
        return trackArtist[track];
    }

    /** Dense id of an artist URI, or -1. */
    public int artistId(String uri) {
        return artistIds.get(uri);
    }

    public String artistUri(int artist) {
        return artistUris[artist];
    }

    /** Occurrences of the track in the training playlists. */
    public int occurrences(int track) {
        return trackCount[track];
    }

    /** Occurrences of all of the artist's tracks. */
    public long artistOccurrences(int artist) {
        return artistCount[artist];
    }

    /** Track ids, most popular first (ties by URI). Do not modify. */
    int[] popularity() {
        return popularity;
    }

    public int popularityRank(int track) {
        return popularityRank[track];
    }

    int artistTracksStart(int artist) {
        return artistOffsets[artist];
    }

    int artistTracksEnd(int artist) {
        return artistOffsets[artist + 1];
    }

    /** The artist's tracks in popularity order are {@code artistTracks()[start..end)}. Do not modify. */
    int[] artistTracks() {
        return artistTracks;
    }

    int playlistStart(int playlist) {
        return playlistOffsets[playlist];
    }

    int playlistEnd(int playlist) {
        return playlistOffsets[playlist + 1];
    }

    int[] playlistTracks() {
        return playlistTracks;
    }

    int postingStart(int track) {
        return postingOffsets[track];
    }

    int postingEnd(int track) {
        return postingOffsets[track + 1];
    }

    int[] postings() {
        return postings;
    }

    /** Normalised title of a title id. */
    public String title(int titleId) {
        return titles[titleId];
    }

    /** Id of a normalised title, or -1. */
    public int titleId(String normalizedTitle) {
        return titleIds.get(normalizedTitle);
    }

    int titlePlaylistsStart(int title) {
        return titleOffsets[title];
    }

    int titlePlaylistsEnd(int title) {
        return titleOffsets[title + 1];
    }

    int[] titlePlaylists() {
        return titlePlaylists;
    }

    @Override
    public String artistOf(String trackUri) {
        int t = trackIds.get(trackUri);
        return t < 0 ? null : artistUris[trackArtist[t]];
    }

    /** Accumulates playlists before the arrays are frozen. */
    private static final class Builder {
        final StringIntMap trackIds = new StringIntMap(1 << 16);
        final List<String> trackUris = new ArrayList<>();
        final IntList trackArtist = new IntList(1 << 16);
        final StringIntMap artistIds = new StringIntMap(1 << 12);
        final List<String> artistUris = new ArrayList<>();
        final IntList playlistOffsets = new IntList(1 << 12);
        final IntList playlistTracks = new IntList(1 << 18);
        final IntList playlistTitle = new IntList(1 << 12);
        final IntList repeats = new IntList(1 << 10);
        final StringIntMap titleIds = new StringIntMap(1 << 12);
        final List<String> titles = new ArrayList<>();
        final StringIntMap seen = new StringIntMap(256);
        long malformed;
        int slices;

        Builder() {
            playlistOffsets.add(0);
        }

        void add(String name, List<MpdTrack> tracks) {
            seen.clear();
            for (MpdTrack t : tracks) {
                int artist = artistIds.get(t.artistUri());
                if (artist < 0) {
                    artist = artistIds.idOf(t.artistUri());
                    artistUris.add(t.artistUri());
                }
                int track = trackIds.get(t.trackUri());
                if (track < 0) {
                    track = trackIds.idOf(t.trackUri());
                    trackUris.add(t.trackUri());
                    trackArtist.add(artist);
                }
                if (seen.get(t.trackUri()) >= 0) {
                    repeats.add(track);
                    continue;
                }
                seen.put(t.trackUri(), 0);
                playlistTracks.add(track);
            }
            playlistOffsets.add(playlistTracks.size());
            String normalized = TitleNormalizer.normalize(name);
            int title = titleIds.get(normalized);
            if (title < 0) {
                title = titleIds.idOf(normalized);
                titles.add(normalized);
            }
            playlistTitle.add(title);
        }
    }
}
