package dev.segue.titles.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segue.titles.TitleVectors;
import dev.segue.pipelines.testing.TestPipelines;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/**
 * Generated playlists whose factors sit near their theme's direction and whose titles name the theme (plus
 * generic and noise words): title and token vectors must point back to the theme.
 */
class TitleEmbeddingsTest {
    static final String[] THEMES = {"rock", "chill", "workout", "country"};
    static final String[] GENERIC = {"mix", "playlist", "2017", "songs"};

    @Test
    void titleVectorsPointToTheirTheme() {
        int d = 6;
        Random rnd = new Random(3);
        List<TitledFactors> blocks = new ArrayList<>();
        int rockMix = 0;
        int rockToken = 0;
        double rockSum = 0;
        int rockTitle = 0;
        double rockTitleSum = 0;
        for (int b = 0; b < 6; b++) {
            int n = 100;
            String[] titles = new String[n];
            float[] x = new float[n * d];
            for (int p = 0; p < n; p++) {
                int theme = rnd.nextInt(THEMES.length);
                double u = rnd.nextDouble();
                titles[p] = u < 0.4 ? THEMES[theme] + " " + GENERIC[rnd.nextInt(GENERIC.length)]
                        : u < 0.7 ? THEMES[theme].toUpperCase() + "!" : u < 0.9 ? GENERIC[rnd.nextInt(GENERIC.length)]
                        : "one-off title " + b + "x" + p;
                if (titles[p].equals("rock mix")) {
                    rockMix++;
                }
                if (titles[p].toLowerCase().contains("rock")) {
                    rockToken++;
                }
                for (int a = 0; a < d; a++) {
                    x[p * d + a] = (float) ((a == theme ? 1.0 : 0.0) + 0.3 * rnd.nextGaussian());
                }
                if (titles[p].toLowerCase().contains("rock")) {
                    rockSum += x[p * d];
                }
                if (titles[p].equals("ROCK!")) {
                    rockTitle++;
                    rockTitleSum += x[p * d];
                }
            }
            blocks.add(new TitledFactors(b, titles, d, x));
        }
        TestPipeline p = TestPipelines.directUnchecked();
        PCollection<TitleRows> out = p.apply(Create.of(blocks).withCoder(TitledFactors.Coder.of()))
                .apply(new TitleEmbeddings(1.0, 2, 3));
        Expected expected = new Expected(d, rockMix, rockToken, rockSum, rockTitle, rockTitleSum);
        PAssert.that(out).satisfies(rows -> {
            assertPointToThemes(rows, expected);
            return null;
        });
        p.run().waitUntilFinish();
    }

    /** What the generator counted: rows titled "rock mix", with the token "rock", titled exactly "ROCK!". */
    record Expected(int d, int rockMix, int rockToken, double rockSum, int rockTitle, double rockTitleSum)
            implements java.io.Serializable {}

    private static void assertPointToThemes(Iterable<TitleRows> rows, Expected e) {
        int d = e.d();
        int rockMix = e.rockMix();
        int rockToken = e.rockToken();
        double rockSum = e.rockSum();
        int rockTitle = e.rockTitle();
        double rockTitleSum = e.rockTitleSum();
        List<String> keys = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (TitleRows r : rows) {
            for (int i = 0; i < r.size(); i++) {
                keys.add(r.keys()[i]);
                kinds.add(r.kinds()[i]);
                counts.add(r.counts()[i]);
                vectors.add(java.util.Arrays.copyOfRange(r.vectors(), i * d, (i + 1) * d));
            }
        }
        float[] flat = new float[vectors.size() * d];
        for (int i = 0; i < vectors.size(); i++) {
            System.arraycopy(vectors.get(i), 0, flat, i * d, d);
        }
        TitleVectors tv = new TitleVectors(keys.toArray(new String[0]), kinds.toArray(new String[0]),
                counts.stream().mapToLong(Long::longValue).toArray(), flat, d);

        for (int t = 0; t < THEMES.length; t++) {
            assertEquals(t, argmax(tv.vector(THEMES[t] + " mix")), THEMES[t] + " mix");
            assertEquals(t, argmax(tv.vector(THEMES[t].toUpperCase())), THEMES[t]);
            assertEquals(t, argmax(tv.vector("unheard " + THEMES[t] + " words")), "unknown tokens are skipped");
        }
        assertEquals(TitleVectors.Source.TITLE, tv.lookup("Rock Mix").source());
        assertEquals(rockMix, counts.get(indexOf(keys, kinds, "rock mix", "title")));
        assertEquals(rockToken, counts.get(indexOf(keys, kinds, "rock", "token")));
        // A one-word title has its own title row (only the playlists titled exactly "rock"), next to the token
        // row (every playlist whose title has the token, "rock mix" included); the lookup prefers the title row.
        int rockTitleRow = indexOf(keys, kinds, "rock", "title");
        assertTrue(rockTitleRow >= 0, "one-word titles get a title row");
        assertEquals(rockTitle, counts.get(rockTitleRow));
        assertTrue(rockTitle < rockToken, rockTitle + " vs " + rockToken);
        assertEquals(TitleVectors.Source.TITLE, tv.lookup("Rock").source());
        assertEquals(rockTitleSum / (rockTitle + 1.0), tv.vector("rock")[0], 1e-4, "the exact title's playlists only");
        assertNull(tv.vector("never seen before"));
        assertEquals(-1, indexOf(keys, kinds, "one-off title 0x1", "title"), "below min_count");
        // The ridge shrinkage: a vector is the sum over its playlists divided by (count + λ), so |v| < |mean|.
        float[] rock = java.util.Arrays.copyOfRange(flat, indexOf(keys, kinds, "rock", "token") * d,
                indexOf(keys, kinds, "rock", "token") * d + d);
        double mean = rockSum / rockToken;
        assertEquals(rockSum / (rockToken + 1.0), rock[0], 1e-4, "sum / (count + λ)");
        assertTrue(Math.abs(rock[0]) < Math.abs(mean) && rock[0] > 0.5, "rock[0] = " + rock[0] + ", mean " + mean);
        assertEquals(TitleVectors.Source.TOKENS, tv.lookup("rock ballads").source(), "unknown title: token mean");
    }

    private static int indexOf(List<String> keys, List<String> kinds, String key, String kind) {
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).equals(key) && kinds.get(i).equals(kind)) {
                return i;
            }
        }
        return -1;
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
