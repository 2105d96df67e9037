package dev.segue.serving.model;

import dev.segue.ranking.FactorAccess;
import dev.segue.ranking.RankingData;
import dev.segue.ranking.TwoStage;
import java.util.Objects;

/**
 * The second stage served with one data version (issue 19): the ranker and the ranking data of the run that wrote
 * the served {@code track_factors}, with the maps between the server's factor rows and the ranking module's dense
 * {@code track_id}s. Part of the immutable {@link ServingModel}, so a reload swaps factors, index, ranking data and
 * ranker together. When no ranker is served ({@link #active()} false) {@link #note()} says why, for {@code Status}.
 */
public final class RankingStage {
    private final TwoStage twoStage;
    private final RankingData data;
    private final FactorAccess factors;
    private final int[] rowOfTrackId;
    private final int[] trackIdOfRow;
    private final String rankerVersion;
    private final String note;

    private RankingStage(TwoStage twoStage, RankingData data, FactorAccess factors, int[] rowOfTrackId,
                         int[] trackIdOfRow, String rankerVersion, String note) {
        this.twoStage = twoStage;
        this.data = data;
        this.factors = factors;
        this.rowOfTrackId = rowOfTrackId;
        this.trackIdOfRow = trackIdOfRow;
        this.rankerVersion = rankerVersion;
        this.note = Objects.requireNonNull(note);
    }

    /** No second stage; {@code why} is what {@code Status} reports. */
    public static RankingStage off(String why) {
        return new RankingStage(null, null, null, null, null, null, why);
    }

    /**
     * The two stages over {@code data} and the served factors.
     *
     * @param rowOfTrackId the factor row of each {@code track_id} (-1: no factors), {@link RankingData#rowsByTrackId}
     * @param rows         the number of factor rows (catalog size)
     */
    public static RankingStage of(TwoStage twoStage, RankingData data, FactorAccess factors, int[] rowOfTrackId,
                                  int rows, String rankerVersion) {
        int[] trackIdOfRow = new int[rows];
        java.util.Arrays.fill(trackIdOfRow, -1);
        for (int id = 0; id < rowOfTrackId.length; id++) {
            if (rowOfTrackId[id] >= 0) {
                trackIdOfRow[rowOfTrackId[id]] = id;
            }
        }
        String off = data.missingSources().isEmpty() ? "every candidate source is on"
                : "candidate sources off: " + String.join("; ", data.missingSources().values());
        return new RankingStage(Objects.requireNonNull(twoStage), data, factors, rowOfTrackId, trackIdOfRow,
                Objects.requireNonNull(rankerVersion), "ranker " + rankerVersion + "; " + off);
    }

    /** True when a ranker is loaded and the two stages can run. */
    public boolean active() {
        return twoStage != null;
    }

    /** The two stages, or null when {@link #active()} is false. */
    public TwoStage twoStage() {
        return twoStage;
    }

    /** The ranking data, or null when {@link #active()} is false. */
    public RankingData data() {
        return data;
    }

    /** The served factors by {@code track_id}, or null when {@link #active()} is false. */
    public FactorAccess factors() {
        return factors;
    }

    /** The factor row of {@code trackId}, -1 when it has none. */
    public int row(int trackId) {
        return trackId >= 0 && trackId < rowOfTrackId.length ? rowOfTrackId[trackId] : -1;
    }

    /** The {@code track_id} of factor row {@code row}, -1 when {@code track_stats} does not list it. */
    public int trackId(int row) {
        return trackIdOfRow[row];
    }

    /** The ranker version, or "none". */
    public String rankerVersion() {
        return rankerVersion == null ? "none" : rankerVersion;
    }

    /** One line for {@code Status}: the sources that are off, or why no ranker is served. */
    public String note() {
        return note;
    }
}
