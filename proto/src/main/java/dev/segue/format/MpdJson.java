package dev.segue.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that knows MPD's JSON field names: converts playlist, challenge and track objects from
 * parsed nodes (leniently where MPD itself is: {@code collaborative} as string or boolean, optional
 * {@code description}, numbers written as strings) and writes them back.
 */
public final class MpdJson {
    private MpdJson() {}

    public static MpdTrack track(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("track is not an object");
        }
        return new MpdTrack(
                (int) requiredLong(node, "pos"),
                text(node, "artist_name"),
                requiredText(node, "track_uri"),
                requiredText(node, "artist_uri"),
                text(node, "track_name"),
                requiredText(node, "album_uri"),
                optionalLong(node, "duration_ms", 0),
                text(node, "album_name"));
    }

    public static List<MpdTrack> tracks(JsonNode node, String field) {
        JsonNode array = node.get(field);
        if (array == null || array.isNull()) {
            throw new IllegalArgumentException("missing field \"" + field + "\"");
        }
        if (!array.isArray()) {
            throw new IllegalArgumentException("\"" + field + "\" is not an array");
        }
        List<MpdTrack> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            try {
                out.add(track(array.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + "[" + i + "]: " + e.getMessage());
            }
        }
        return out;
    }

    public static MpdPlaylist playlist(JsonNode node) {
        List<MpdTrack> tracks = tracks(node, "tracks");
        return new MpdPlaylist(
                requiredText(node, "name"),
                bool(node, "collaborative"),
                requiredLong(node, "pid"),
                optionalLong(node, "modified_at", 0),
                (int) optionalLong(node, "num_tracks", tracks.size()),
                (int) optionalLong(node, "num_albums", 0),
                (int) optionalLong(node, "num_followers", 0),
                (int) optionalLong(node, "num_edits", 0),
                optionalLong(node, "duration_ms", 0),
                (int) optionalLong(node, "num_artists", 0),
                node.hasNonNull("description") ? node.get("description").asText() : null,
                tracks);
    }

    public static ChallengePlaylist challengePlaylist(JsonNode node) {
        List<MpdTrack> tracks = tracks(node, "tracks");
        ChallengePlaylist p = new ChallengePlaylist(
                requiredLong(node, "pid"),
                node.hasNonNull("name") ? node.get("name").asText() : null,
                (int) requiredLong(node, "num_holdouts"),
                (int) requiredLong(node, "num_samples"),
                (int) requiredLong(node, "num_tracks"),
                tracks);
        if (p.numSamples() != tracks.size()) {
            throw new IllegalArgumentException("num_samples is " + p.numSamples() + " but tracks has " + tracks.size());
        }
        if (p.numSamples() + p.numHoldouts() != p.numTracks()) {
            throw new IllegalArgumentException("num_samples + num_holdouts != num_tracks");
        }
        return p;
    }

    public static TruthPlaylist truthPlaylist(JsonNode node) {
        JsonNode category = node.get("category");
        return new TruthPlaylist(requiredLong(node, "pid"),
                category == null || category.isNull() ? 0 : category.asInt(),
                tracks(node, "holdouts"));
    }

    public static void writeTrack(JsonGenerator g, MpdTrack t) throws IOException {
        g.writeStartObject();
        g.writeNumberField("pos", t.pos());
        g.writeStringField("artist_name", t.artistName());
        g.writeStringField("track_uri", t.trackUri());
        g.writeStringField("artist_uri", t.artistUri());
        g.writeStringField("track_name", t.trackName());
        g.writeStringField("album_uri", t.albumUri());
        g.writeNumberField("duration_ms", t.durationMs());
        g.writeStringField("album_name", t.albumName());
        g.writeEndObject();
    }

    public static void writePlaylist(JsonGenerator g, MpdPlaylist p) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", p.name());
        g.writeStringField("collaborative", Boolean.toString(p.collaborative()));
        g.writeNumberField("pid", p.pid());
        g.writeNumberField("modified_at", p.modifiedAt());
        g.writeNumberField("num_tracks", p.numTracks());
        g.writeNumberField("num_albums", p.numAlbums());
        g.writeNumberField("num_followers", p.numFollowers());
        if (p.description() != null) {
            g.writeStringField("description", p.description());
        }
        g.writeArrayFieldStart("tracks");
        for (MpdTrack t : p.tracks()) {
            writeTrack(g, t);
        }
        g.writeEndArray();
        g.writeNumberField("num_edits", p.numEdits());
        g.writeNumberField("duration_ms", p.durationMs());
        g.writeNumberField("num_artists", p.numArtists());
        g.writeEndObject();
    }

    public static void writeChallengePlaylist(JsonGenerator g, ChallengePlaylist p) throws IOException {
        g.writeStartObject();
        if (p.name() != null) {
            g.writeStringField("name", p.name());
        }
        g.writeNumberField("num_holdouts", p.numHoldouts());
        g.writeNumberField("pid", p.pid());
        g.writeNumberField("num_tracks", p.numTracks());
        g.writeArrayFieldStart("tracks");
        for (MpdTrack t : p.tracks()) {
            writeTrack(g, t);
        }
        g.writeEndArray();
        g.writeNumberField("num_samples", p.numSamples());
        g.writeEndObject();
    }

    public static void writeTruthPlaylist(JsonGenerator g, TruthPlaylist p) throws IOException {
        g.writeStartObject();
        g.writeNumberField("pid", p.pid());
        g.writeNumberField("category", p.category());
        g.writeArrayFieldStart("holdouts");
        for (MpdTrack t : p.holdouts()) {
            writeTrack(g, t);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    static String requiredText(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing field \"" + field + "\"");
        }
        if (!v.isValueNode()) {
            throw new IllegalArgumentException("\"" + field + "\" is not a string");
        }
        return v.asText();
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    static long requiredLong(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing field \"" + field + "\"");
        }
        return asLong(v, field);
    }

    static long optionalLong(JsonNode node, String field, long fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : asLong(v, field);
    }

    private static long asLong(JsonNode v, String field) {
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isTextual()) {
            try {
                return Long.parseLong(v.asText().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + field + "\" is not an integer: \"" + v.asText() + "\"");
            }
        }
        if (v.isNumber() && v.asDouble() == Math.rint(v.asDouble())) {
            return v.asLong();
        }
        throw new IllegalArgumentException("\"" + field + "\" is not an integer: " + v);
    }

    static boolean bool(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        String s = v.asText().trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("true")) {
            return true;
        }
        if (s.equals("false")) {
            return false;
        }
        throw new IllegalArgumentException("\"" + field + "\" is neither true nor false: " + v);
    }
}
