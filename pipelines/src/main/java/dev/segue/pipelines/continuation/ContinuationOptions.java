package dev.segue.pipelines.continuation;

import dev.segue.als.beam.FactorExchange;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Options of the continuation pipeline (plus any runner's own options, e.g. {@code --runner=FlinkRunner}). */
public interface ContinuationOptions extends PipelineOptions, dev.segue.store.beam.StoreRunOptions {
    @Description("MPD slices: a folder holding mpd.slice.*.json, or a file pattern")
    @Validation.Required
    String getMpd();

    void setMpd(String value);

    @Description("Feature store root folder (shared by all workers)")
    @Validation.Required
    String getStore();

    void setStore(String value);

    @Description("Latent factors d")
    @Default.Integer(64)
    int getFactors();

    void setFactors(int value);

    @Description("ALS iterations (each solves all playlists, then all tracks)")
    @Default.Integer(15)
    int getIterations();

    void setIterations(int value);

    @Description("Confidence scale α in c = 1 + α·r")
    @Default.Double(20.0)
    double getAlpha();

    void setAlpha(double value);

    @Description("L2 regularization λ")
    @Default.Double(1.0)
    double getRegularization();

    void setRegularization(double value);

    @Description("Conjugate-gradient steps per row solve")
    @Default.Integer(3)
    int getCgSteps();

    void setCgSteps(int value);

    @Description("Log-scale counts: r -> log(1 + r/epsilon)")
    @Default.Boolean(false)
    boolean getLogScaling();

    void setLogScaling(boolean value);

    @Description("ε of the log scaling")
    @Default.Double(1.0)
    double getEpsilon();

    void setEpsilon(double value);

    @Description("Seed of the initial factors")
    @Default.Long(42L)
    long getSeed();

    void setSeed(long value);

    @Description("Standard deviation of the initial factors")
    @Default.Double(0.01)
    double getInitScale();

    void setInitScale(double value);

    @Description("Playlists per block (the unit of work; blocks run on across the files of an ingest group)")
    @Default.Integer(10000)
    int getBlockRows();

    void setBlockRows(int value);

    @Description("Track blocks (ranges of track ids solved as one unit; at least 64 tracks each)")
    @Default.Integer(16)
    int getTrackBlocks();

    void setTrackBlocks(int value);

    @Description("Groups the slice files are read in (parallel ingest elements)")
    @Default.Integer(16)
    int getIngestShards();

    void setIngestShards(int value);

    @Description("How factors reach the row solvers: AUTO (inline broadcast up to --broadcastLimitMb, else factor "
            + "files under --tempLocation), BROADCAST, FILES or SHUFFLE")
    @Default.Enum("AUTO")
    FactorExchange getFactorExchange();

    void setFactorExchange(FactorExchange value);

    @Description("Largest packed factor matrix (MiB) AUTO broadcasts inline; larger ones go through factor files")
    @Default.Long(128L)
    long getBroadcastLimitMb();

    void setBroadcastLimitMb(long value);

    @Description("Keep every iteration's factor files (FILES exchange, or AUTO above --broadcastLimitMb) until the run "
            + "ends instead of deleting each side's previous version: needed where the runner may recompute a step "
            + "(Spark recomputes uncached partitions); default: on for every runner but the DirectRunner")
    Boolean getKeepFactorFiles();

    void setKeepFactorFiles(Boolean value);

    @Description("Highest tolerated fraction of malformed playlist records before the run fails")
    @Default.Double(0.01)
    double getMaxErrorRate();

    void setMaxErrorRate(double value);

    @Description("File to write malformed records to, one JSON object per line, also when the run stops on them "
            + "(a local or mounted path; default: log them only)")
    @Default.String("")
    String getDeadLetters();

    void setDeadLetters(String value);

    @Description("Ridge λ of the title embeddings")
    @Default.Double(1.0)
    double getTitleLambda();

    void setTitleLambda(double value);

    @Description("Fewest playlists a title or token needs to get a vector")
    @Default.Integer(2)
    int getTitleMinCount();

    void setTitleMinCount(int value);

    @Description("Tracks kept per title in title_tracks (the most held first)")
    @Default.Integer(1000)
    int getTitleTopTracks();

    void setTitleTopTracks(int value);

    @Description("Co-occurring tracks kept per track in track_neighbours (0: do not build the set)")
    @Default.Integer(50)
    int getNeighbours();

    void setNeighbours(int value);

    @Description("Count only track pairs at most this many positions apart in a playlist for track_neighbours "
            + "(0: the whole playlist, quadratic in playlist length)")
    @Default.Integer(10)
    int getNeighbourWindow();

    void setNeighbourWindow(int value);

    @Description("Shards of the track and title aggregations")
    @Default.Integer(16)
    int getShards();

    void setShards(int value);

    @Description("Share of training playlists (by pid hash) left out of ALS and the title models for the ranker "
            + "pipeline's examples (recorded in the manifests as ranker_holdout; 0: none)")
    @Default.Double(0.02)
    double getRankerHoldout();

    void setRankerHoldout(double value);
}
