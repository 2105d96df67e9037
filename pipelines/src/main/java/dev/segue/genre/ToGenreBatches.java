package dev.segue.genre;

import dev.segue.store.Batch;
import org.apache.beam.sdk.transforms.DoFn;

/** Turns a shard of audio rows into a {@code track_genre_features} batch with fixed standardisation parameters. */
public final class ToGenreBatches extends DoFn<AudioBlock, Batch> {
    private final Standardization std;

    public ToGenreBatches(Standardization std) {
        this.std = std;
    }

    @ProcessElement
    public void process(@Element AudioBlock b, OutputReceiver<Batch> out) {
        if (b.size() > 0) {
            out.output(toBatch(b, std));
        }
    }

    public static Batch toBatch(AudioBlock b, Standardization std) {
        int n = b.size();
        String[] uri = new String[n];
        String[] broad = new String[n];
        for (int r = 0; r < n; r++) {
            uri[r] = AudioLayout.trackUri(b.id[r]);
            broad[r] = GenreCondensation.broad(b.topGenre[r]);
        }
        Batch.Builder out = Batch.builder(n)
                .strings(GenreSchemas.TRACK_URI, uri)
                .strings(GenreSchemas.AUDIO_ID, java.util.Arrays.copyOf(b.id, n))
                .strings(GenreSchemas.TITLE, java.util.Arrays.copyOf(b.title, n))
                .strings(GenreSchemas.ARTIST, java.util.Arrays.copyOf(b.artist, n));
        for (int c = 0; c < AudioBlock.WIDTH; c++) {
            String name = AudioLayout.NUMERIC.get(c);
            double[] raw = new double[n];
            double[] z = new double[n];
            double[] mm = new double[n];
            for (int r = 0; r < n; r++) {
                double x = b.value(r, c);
                raw[r] = x;
                z[r] = std.z(c, x);
                mm[r] = std.minMax(c, x);
            }
            out.doubles(name, raw).doubles(GenreSchemas.z(name), z).doubles(GenreSchemas.minMax(name), mm);
        }
        return out.strings(GenreSchemas.TOP_GENRE, java.util.Arrays.copyOf(b.topGenre, n))
                .strings(GenreSchemas.BROAD_GENRE, broad)
                .build();
    }
}
