package dev.segue.churn;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Options of {@link ChurnPipeline} ({@code --logs DIR --store DIR [--featureWindowDays 30] ...}). */
public interface ChurnOptions extends PipelineOptions, dev.segue.store.beam.StoreRunOptions {
    @Description("Folder of the listening logs: *.csv files with study 003's play, download or search header")
    @Validation.Required
    String getLogs();

    void setLogs(String value);

    @Description("Feature store root folder")
    @Validation.Required
    String getStore();

    void setStore(String value);

    @Description("Feature window length in days")
    @Default.Integer(30)
    int getFeatureWindowDays();

    void setFeatureWindowDays(int value);

    @Description("Label window length in days")
    @Default.Integer(14)
    int getLabelWindowDays();

    void setLabelWindowDays(int value);

    @Description("Comma-separated feature-window end dates (yyyy-MM-dd); default: one snapshot whose label "
            + "window ends on the last log date holding at least 10% of the typical daily lines (later lines are "
            + "AFTER_LAST_WINDOW dead letters)")
    String getSnapshots();

    void setSnapshots(String value);

    @Description("Folder for dead letters (dead-letters.csv), the cleaning statistics and the run report; "
            + "default: churn-report beside the store folder")
    String getReportDir();

    void setReportDir(String value);

    @Description("Number of user shards (the unit of parallel feature work)")
    @Default.Integer(32)
    int getUserShards();

    void setUserShards(int value);

    @Description("Target bytes per parallel read split of a log file")
    @Default.Long(16L << 20)
    long getSplitBytes();

    void setSplitBytes(long value);
}
