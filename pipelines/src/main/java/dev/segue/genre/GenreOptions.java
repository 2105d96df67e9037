package dev.segue.genre;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Options of {@link GenrePipeline} ({@code --audio FILE --store DIR}). */
public interface GenreOptions extends PipelineOptions, dev.segue.store.beam.StoreRunOptions {
    @Description("Audio-feature CSV in study 004's layout (Id,title,artist,year,bpm,nrgy,dnce,dB,live,val,dur,acous,spch,pop,top genre)")
    @Validation.Required
    String getAudio();

    void setAudio(String value);

    @Description("Feature store root folder")
    @Validation.Required
    String getStore();

    void setStore(String value);

    @Description("Folder for dead letters and the standardisation parameters; default: genre-report beside the store")
    String getReportDir();

    void setReportDir(String value);

    @Description("Number of track-Id shards of the audio-feature pipeline")
    @Default.Integer(8)
    int getAudioShards();

    void setAudioShards(int value);

    @Description("Target bytes per parallel read split")
    @Default.Long(16L << 20)
    long getSplitBytes();

    void setSplitBytes(long value);
}
