package dev.segue.pipelines.ranker;

import dev.segue.ranking.RankerHoldout;
import dev.segue.ranking.RankerModel;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Options of the ranker pipeline (plus any runner's own options). */
public interface RankerOptions extends PipelineOptions, dev.segue.store.beam.StoreRunOptions {
    @Description("MPD training slices: a folder holding mpd.slice.*.json, or a file pattern (never challenge truth)")
    @Validation.Required
    String getMpd();

    void setMpd(String value);

    @Description("Feature store root folder holding a continuation run (shared by all workers)")
    @Validation.Required
    String getStore();

    void setStore(String value);

    @Description("track_factors version whose run is the first stage (default: latest)")
    @Default.String("latest")
    String getFactorsVersion();

    void setFactorsVersion(String value);

    @Description("Share of training playlists used as ranker examples when the continuation run recorded none "
            + "(ranker_holdout); a recorded share always wins, since only those playlists are unseen by ALS")
    @Default.Double(0.02)
    double getRankerShare();

    void setRankerShare(double value);

    @Description("Share of the ranker playlists kept for the validation NDCG")
    @Default.Double(0.2)
    double getValidationShare();

    void setValidationShare(double value);

    @Description("Example groups per ranker playlist, each in a different challenge shape its length allows "
            + "(RankerHoldout.splits; 1 = one shape per playlist, 10 = every shape)")
    @Default.Integer(RankerHoldout.DEFAULT_SHAPES)
    int getShapesPerPlaylist();

    void setShapesPerPlaylist(int value);

    @Description("LambdaMART boosting rounds")
    @Default.Integer(200)
    int getRounds();

    void setRounds(int value);

    @Description("Stop the LambdaMART fit once this many rounds in a row did not improve the validation NDCG@500, "
            + "keeping the best round's trees (0 = keep all --rounds)")
    @Default.Integer(RankerModel.Params.DEFAULT_EARLY_STOPPING)
    int getEarlyStopping();

    void setEarlyStopping(int value);

    @Description("LambdaMART learning rate")
    @Default.Double(0.1)
    double getEta();

    void setEta(double value);

    @Description("LambdaMART tree depth")
    @Default.Integer(6)
    int getMaxDepth();

    void setMaxDepth(int value);

    @Description("Maximum input error rate before the run fails")
    @Default.Double(0.01)
    double getMaxErrorRate();

    void setMaxErrorRate(double value);
}
