package dev.segue.churn;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * Options of {@link RatingsAls}: the continuation pipeline's implicit ALS over {@code user_song_ratings}.
 * Prefixed with {@code ratings} so they never clash with the continuation pipeline's ALS options.
 */
public interface RatingsAlsOptions extends PipelineOptions, dev.segue.store.beam.StoreRunOptions {
    @Description("Feature store root folder")
    @Validation.Required
    String getStore();

    void setStore(String value);

    @Description("Latent dimension of user_factors and song_factors")
    @Default.Integer(32)
    int getRatingsFactors();

    void setRatingsFactors(int value);

    @Description("ALS iterations (users then songs)")
    @Default.Integer(10)
    int getRatingsIterations();

    void setRatingsIterations(int value);

    @Description("Confidence scale: c = 1 + alpha * rating (ratings are 1..5)")
    @Default.Double(5.0)
    double getRatingsAlpha();

    void setRatingsAlpha(double value);

    @Description("L2 regularisation lambda")
    @Default.Double(1.0)
    double getRatingsRegularization();

    void setRatingsRegularization(double value);

    @Description("Conjugate-gradient steps per row solve")
    @Default.Integer(3)
    int getRatingsCgSteps();

    void setRatingsCgSteps(int value);

    @Description("Seed of the initial factors")
    @Default.Long(42L)
    long getRatingsSeed();

    void setRatingsSeed(long value);

    @Description("Rows per ALS block (the unit of parallel work), both sides")
    @Default.Integer(2000)
    int getRatingsBlockRows();

    void setRatingsBlockRows(int value);
}
