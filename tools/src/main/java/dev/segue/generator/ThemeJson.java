package dev.segue.generator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * One line of {@code truth/playlists.jsonl}: a playlist's latent theme with readable names (genre labels,
 * occasion name, favourite artist URIs) and, in a drifting world, its walk as runs
 * {@code "walk":[["artist_uri", tracks], …]} in playlist order; and back again for the oracle.
 */
public final class ThemeJson {
    private static final JsonFactory JSON = new JsonFactory();

    private ThemeJson() {}

    /** Appends the JSON line of playlist {@code pid} to {@code out}. */
    public static void write(ByteArrayOutputStream out, long pid, String split, Theme theme, int[] walk,
                             Catalog catalog) {
        Taxonomy tax = catalog.taxonomy();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeNumberField("pid", pid);
            g.writeStringField("split", split);
            g.writeStringField("occasion", tax.occasion(theme.occasion()).name());
            g.writeArrayFieldStart("genres");
            for (int i = 0; i < theme.genres().length; i++) {
                Genre genre = tax.genre(theme.genres()[i]);
                g.writeStartObject();
                g.writeStringField("genre", genre.label());
                g.writeStringField("broad", genre.broadName());
                g.writeNumberField("weight", round(theme.genreWeights()[i]));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("favorite_artists");
            for (int i = 0; i < theme.favorites().length; i++) {
                g.writeStartObject();
                g.writeStringField("artist_uri", catalog.artistUri(theme.favorites()[i]));
                g.writeNumberField("weight", round(theme.favoriteWeights()[i]));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("favorite_rate", round(theme.favoriteRate()));
            g.writeNumberField("noise_rate", round(theme.noiseRate()));
            g.writeBooleanField("artist_focused", theme.artistFocused());
            if (walk != null) {
                g.writeArrayFieldStart("walk");
                for (int i = 0; i < walk.length; ) {
                    int j = i;
                    while (j < walk.length && walk[j] == walk[i]) {
                        j++;
                    }
                    g.writeStartArray();
                    g.writeString(catalog.artistUri(walk[i]));
                    g.writeNumber(j - i);
                    g.writeEndArray();
                    i = j;
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
    }

    /** Rounded so the file is compact; the sampler used the exact values, the oracle the rounded ones. */
    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    /** Parses a line written by {@link #write}. */
    public static Theme read(JsonNode node, Taxonomy tax, Map<String, Integer> genreIds,
                             Map<String, Integer> occasionIds, Map<String, Integer> artistIds) {
        JsonNode genres = node.get("genres");
        int[] g = new int[genres.size()];
        double[] w = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = lookup(genreIds, genres.get(i).get("genre").asText(), "genre");
            w[i] = genres.get(i).get("weight").asDouble();
        }
        JsonNode favs = node.get("favorite_artists");
        int[] f = new int[favs.size()];
        double[] fw = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = lookup(artistIds, favs.get(i).get("artist_uri").asText(), "artist");
            fw[i] = favs.get(i).get("weight").asDouble();
        }
        int occasion = lookup(occasionIds, node.get("occasion").asText(), "occasion");
        return new Theme(g, w, occasion, f, fw, node.get("favorite_rate").asDouble(),
                node.get("noise_rate").asDouble(), node.get("artist_focused").asBoolean());
    }

    /** The walk's artist per position from a line's {@code walk} runs, or null when the line has none. */
    public static int[] readWalk(JsonNode node, Map<String, Integer> artistIds) {
        JsonNode runs = node.get("walk");
        if (runs == null) {
            return null;
        }
        int length = 0;
        for (JsonNode run : runs) {
            length += run.get(1).asInt();
        }
        int[] out = new int[length];
        int pos = 0;
        for (JsonNode run : runs) {
            int artist = lookup(artistIds, run.get(0).asText(), "artist");
            for (int i = run.get(1).asInt(); i > 0; i--) {
                out[pos++] = artist;
            }
        }
        return out;
    }

    private static int lookup(Map<String, Integer> ids, String key, String what) {
        Integer id = ids.get(key);
        if (id == null) {
            throw new IllegalArgumentException("unknown " + what + " '" + key + "' (world from another generator?)");
        }
        return id;
    }
}
