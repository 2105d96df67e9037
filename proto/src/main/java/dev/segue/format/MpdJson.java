package dev.segue.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one place that knows MPD's JSON field names: reads playlist, challenge and track objects straight from
 * parser tokens (no tree per record) and writes them back.
 *
 * <p>Reading is lenient where MPD itself is: fields in any order, unknown fields (also nested objects and
 * arrays) skipped, {@code collaborative} as string or boolean, optional {@code description}, numbers written
 * as strings or as integral doubles, {@code null} taken as a missing field. Each reader is called with the
 * parser on the object's {@code START_OBJECT} and consumes through its {@code END_OBJECT}, also when the
 * content is malformed: it then throws {@link IllegalArgumentException} with the reason. When an object has
 * several problems the reason reported is the first in a fixed check order (the order of the record's
 * components, {@code tracks} first), whatever the order of the fields in the file; a field given twice counts
 * with its last value.
 */
public final class MpdJson {
    private MpdJson() {}

    // Check order of a track's fields that can be wrong (text fields take any value).
    private static final int T_POS = 0;
    private static final int T_TRACK_URI = 1;
    private static final int T_ARTIST_URI = 2;
    private static final int T_ALBUM_URI = 3;
    private static final int T_DURATION_MS = 4;
    private static final int T_CHECKS = 5;

    /** One track object; the parser is on its first token (anything but an object is rejected and skipped). */
    public static MpdTrack track(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            throw new IllegalArgumentException("track is not an object");
        }
        long pos = 0;
        boolean hasPos = false;
        String artistName = "";
        String trackUri = null;
        String artistUri = null;
        String trackName = "";
        String albumUri = null;
        long durationMs = 0;
        String albumName = "";
        String[] bad = null;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            boolean isNull = p.nextToken() == JsonToken.VALUE_NULL;
            int check = -1;
            try {
                switch (field) {
                    case "pos" -> {
                        check = T_POS;
                        hasPos = !isNull;
                        pos = isNull ? 0 : asLong(p, field);
                    }
                    case "artist_name" -> artistName = text(p);
                    case "track_uri" -> {
                        check = T_TRACK_URI;
                        trackUri = isNull ? null : requiredText(p, field);
                    }
                    case "artist_uri" -> {
                        check = T_ARTIST_URI;
                        artistUri = isNull ? null : requiredText(p, field);
                    }
                    case "track_name" -> trackName = text(p);
                    case "album_uri" -> {
                        check = T_ALBUM_URI;
                        albumUri = isNull ? null : requiredText(p, field);
                    }
                    case "duration_ms" -> {
                        check = T_DURATION_MS;
                        durationMs = isNull ? 0 : asLong(p, field);
                    }
                    case "album_name" -> albumName = text(p);
                    default -> p.skipChildren();
                }
                bad = clear(bad, check);
            } catch (IllegalArgumentException e) {
                bad = note(bad, T_CHECKS, check, e.getMessage());
            }
        }
        bad = require(bad, T_CHECKS, T_POS, hasPos, "pos");
        bad = require(bad, T_CHECKS, T_TRACK_URI, trackUri != null, "track_uri");
        bad = require(bad, T_CHECKS, T_ARTIST_URI, artistUri != null, "artist_uri");
        bad = require(bad, T_CHECKS, T_ALBUM_URI, albumUri != null, "album_uri");
        throwFirst(bad);
        return new MpdTrack((int) pos, artistName, trackUri, artistUri, trackName, albumUri, durationMs, albumName);
    }

    /**
     * The track array the parser is on, the value of {@code field}; a bad element is reported as
     * {@code field[i]: reason} after skipping the rest of the array.
     */
    public static List<MpdTrack> tracks(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            throw new IllegalArgumentException("\"" + field + "\" is not an array");
        }
        List<MpdTrack> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            try {
                out.add(track(p));
            } catch (IllegalArgumentException e) {
                skipRestOfArray(p);
                throw new IllegalArgumentException(field + "[" + out.size() + "]: " + e.getMessage());
            }
        }
        return out;
    }

    private static final int P_TRACKS = 0;
    private static final int P_NAME = 1;
    private static final int P_COLLABORATIVE = 2;
    private static final int P_PID = 3;
    private static final int P_MODIFIED_AT = 4;
    private static final int P_NUM_TRACKS = 5;
    private static final int P_NUM_ALBUMS = 6;
    private static final int P_NUM_FOLLOWERS = 7;
    private static final int P_NUM_EDITS = 8;
    private static final int P_DURATION_MS = 9;
    private static final int P_NUM_ARTISTS = 10;
    private static final int P_CHECKS = 11;

    /** One MPD slice playlist; the parser is on its {@code START_OBJECT}. */
    public static MpdPlaylist playlist(JsonParser p) throws IOException {
        List<MpdTrack> tracks = null;
        String name = null;
        boolean collaborative = false;
        long pid = 0;
        boolean hasPid = false;
        long modifiedAt = 0;
        long numTracks = 0;
        boolean hasNumTracks = false;
        long numAlbums = 0;
        long numFollowers = 0;
        long numEdits = 0;
        long durationMs = 0;
        long numArtists = 0;
        String description = null;
        String[] bad = null;
        for (String field = startObject(p); field != null; field = p.nextFieldName()) {
            boolean isNull = p.nextToken() == JsonToken.VALUE_NULL;
            int check = -1;
            try {
                switch (field) {
                    case "tracks" -> {
                        check = P_TRACKS;
                        tracks = null; // a bad repeated field leaves no earlier value behind
                        tracks = isNull ? null : tracks(p, field);
                    }
                    case "name" -> {
                        check = P_NAME;
                        name = isNull ? null : requiredText(p, field);
                    }
                    case "collaborative" -> {
                        check = P_COLLABORATIVE;
                        collaborative = !isNull && bool(p, field);
                    }
                    case "pid" -> {
                        check = P_PID;
                        hasPid = !isNull;
                        pid = isNull ? 0 : asLong(p, field);
                    }
                    case "modified_at" -> {
                        check = P_MODIFIED_AT;
                        modifiedAt = isNull ? 0 : asLong(p, field);
                    }
                    case "num_tracks" -> {
                        check = P_NUM_TRACKS;
                        hasNumTracks = !isNull;
                        numTracks = isNull ? 0 : asLong(p, field);
                    }
                    case "num_albums" -> {
                        check = P_NUM_ALBUMS;
                        numAlbums = isNull ? 0 : asLong(p, field);
                    }
                    case "num_followers" -> {
                        check = P_NUM_FOLLOWERS;
                        numFollowers = isNull ? 0 : asLong(p, field);
                    }
                    case "num_edits" -> {
                        check = P_NUM_EDITS;
                        numEdits = isNull ? 0 : asLong(p, field);
                    }
                    case "duration_ms" -> {
                        check = P_DURATION_MS;
                        durationMs = isNull ? 0 : asLong(p, field);
                    }
                    case "num_artists" -> {
                        check = P_NUM_ARTISTS;
                        numArtists = isNull ? 0 : asLong(p, field);
                    }
                    case "description" -> description = isNull ? null : text(p);
                    default -> p.skipChildren();
                }
                bad = clear(bad, check);
            } catch (IllegalArgumentException e) {
                bad = note(bad, P_CHECKS, check, e.getMessage());
            }
        }
        bad = require(bad, P_CHECKS, P_TRACKS, tracks != null, "tracks");
        bad = require(bad, P_CHECKS, P_NAME, name != null, "name");
        bad = require(bad, P_CHECKS, P_PID, hasPid, "pid");
        throwFirst(bad);
        return new MpdPlaylist(name, collaborative, pid, modifiedAt, (int) (hasNumTracks ? numTracks : tracks.size()),
                (int) numAlbums, (int) numFollowers, (int) numEdits, durationMs, (int) numArtists, description,
                tracks);
    }

    private static final int C_TRACKS = 0;
    private static final int C_PID = 1;
    private static final int C_NUM_HOLDOUTS = 2;
    private static final int C_NUM_SAMPLES = 3;
    private static final int C_NUM_TRACKS = 4;
    private static final int C_CHECKS = 5;

    /** One challenge-set playlist; the parser is on its {@code START_OBJECT}. */
    public static ChallengePlaylist challengePlaylist(JsonParser p) throws IOException {
        List<MpdTrack> tracks = null;
        long pid = 0;
        boolean hasPid = false;
        String name = null;
        long numHoldouts = 0;
        boolean hasNumHoldouts = false;
        long numSamples = 0;
        boolean hasNumSamples = false;
        long numTracks = 0;
        boolean hasNumTracks = false;
        String[] bad = null;
        for (String field = startObject(p); field != null; field = p.nextFieldName()) {
            boolean isNull = p.nextToken() == JsonToken.VALUE_NULL;
            int check = -1;
            try {
                switch (field) {
                    case "tracks" -> {
                        check = C_TRACKS;
                        tracks = null;
                        tracks = isNull ? null : tracks(p, field);
                    }
                    case "pid" -> {
                        check = C_PID;
                        hasPid = !isNull;
                        pid = isNull ? 0 : asLong(p, field);
                    }
                    case "name" -> name = isNull ? null : text(p);
                    case "num_holdouts" -> {
                        check = C_NUM_HOLDOUTS;
                        hasNumHoldouts = !isNull;
                        numHoldouts = isNull ? 0 : asLong(p, field);
                    }
                    case "num_samples" -> {
                        check = C_NUM_SAMPLES;
                        hasNumSamples = !isNull;
                        numSamples = isNull ? 0 : asLong(p, field);
                    }
                    case "num_tracks" -> {
                        check = C_NUM_TRACKS;
                        hasNumTracks = !isNull;
                        numTracks = isNull ? 0 : asLong(p, field);
                    }
                    default -> p.skipChildren();
                }
                bad = clear(bad, check);
            } catch (IllegalArgumentException e) {
                bad = note(bad, C_CHECKS, check, e.getMessage());
            }
        }
        bad = require(bad, C_CHECKS, C_TRACKS, tracks != null, "tracks");
        bad = require(bad, C_CHECKS, C_PID, hasPid, "pid");
        bad = require(bad, C_CHECKS, C_NUM_HOLDOUTS, hasNumHoldouts, "num_holdouts");
        bad = require(bad, C_CHECKS, C_NUM_SAMPLES, hasNumSamples, "num_samples");
        bad = require(bad, C_CHECKS, C_NUM_TRACKS, hasNumTracks, "num_tracks");
        throwFirst(bad);
        ChallengePlaylist c = new ChallengePlaylist(pid, name, (int) numHoldouts, (int) numSamples, (int) numTracks,
                tracks);
        if (c.numSamples() != tracks.size()) {
            throw new IllegalArgumentException("num_samples is " + c.numSamples() + " but tracks has " + tracks.size());
        }
        if (c.numSamples() + c.numHoldouts() != c.numTracks()) {
            throw new IllegalArgumentException("num_samples + num_holdouts != num_tracks");
        }
        return c;
    }

    private static final int R_PID = 0;
    private static final int R_HOLDOUTS = 1;
    private static final int R_CHECKS = 2;

    /** One truth playlist (category 0 when not given); the parser is on its {@code START_OBJECT}. */
    public static TruthPlaylist truthPlaylist(JsonParser p) throws IOException {
        long pid = 0;
        boolean hasPid = false;
        int category = 0;
        List<MpdTrack> holdouts = null;
        String[] bad = null;
        for (String field = startObject(p); field != null; field = p.nextFieldName()) {
            boolean isNull = p.nextToken() == JsonToken.VALUE_NULL;
            int check = -1;
            try {
                switch (field) {
                    case "pid" -> {
                        check = R_PID;
                        hasPid = !isNull;
                        pid = isNull ? 0 : asLong(p, field);
                    }
                    case "category" -> category = isNull ? 0 : lenientInt(p);
                    case "holdouts" -> {
                        check = R_HOLDOUTS;
                        holdouts = null;
                        holdouts = isNull ? null : tracks(p, field);
                    }
                    default -> p.skipChildren();
                }
                bad = clear(bad, check);
            } catch (IllegalArgumentException e) {
                bad = note(bad, R_CHECKS, check, e.getMessage());
            }
        }
        bad = require(bad, R_CHECKS, R_PID, hasPid, "pid");
        bad = require(bad, R_CHECKS, R_HOLDOUTS, holdouts != null, "holdouts");
        throwFirst(bad);
        return new TruthPlaylist(pid, category, holdouts);
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

    // ---- value readers: the parser is on the value's first token and is left on its last one ----

    /** The name of the object's first field, or null when it is empty; the parser must be on START_OBJECT. */
    private static String startObject(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("expected an object, found " + p.currentToken());
        }
        return p.nextFieldName();
    }

    /** A required string; scalars count with their text, objects and arrays do not. */
    static String requiredText(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
            throw new IllegalArgumentException("\"" + field + "\" is not a string");
        }
        return scalarText(p);
    }

    /** An optional string: the text of a scalar, empty for an object or array. */
    static String text(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return "";
        }
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
            return "";
        }
        return scalarText(p);
    }

    /** A scalar as text, numbers in their canonical form ({@code 1e3} reads as {@code 1000.0}). */
    private static String scalarText(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberValue().toString();
            case VALUE_NUMBER_FLOAT -> Double.toString(p.getDoubleValue());
            default -> p.getText();
        };
    }

    /** An integer: a JSON integer, an integral double, or a string holding an integer. */
    static long asLong(JsonParser p, String field) throws IOException {
        switch (p.currentToken()) {
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? p.getBigIntegerValue().longValue() : p.getLongValue();
            case VALUE_STRING: {
                String s = p.getText();
                try {
                    return Long.parseLong(s.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("\"" + field + "\" is not an integer: \"" + s + "\"");
                }
            }
            case VALUE_NUMBER_FLOAT: {
                double d = p.getDoubleValue();
                if (d == Math.rint(d)) {
                    return (long) d;
                }
                break;
            }
            default:
                break;
        }
        throw new IllegalArgumentException("\"" + field + "\" is not an integer: " + asJson(p));
    }

    /** A boolean, also written as the string {@code "true"} or {@code "false"} (any case, spaces around). */
    static boolean bool(JsonParser p, String field) throws IOException {
        switch (p.currentToken()) {
            case VALUE_TRUE:
                return true;
            case VALUE_FALSE:
                return false;
            case VALUE_STRING: {
                String s = p.getText().trim().toLowerCase(Locale.ROOT);
                if (s.equals("true")) {
                    return true;
                }
                if (s.equals("false")) {
                    return false;
                }
                break;
            }
            default:
                break;
        }
        throw new IllegalArgumentException("\"" + field + "\" is neither true nor false: " + asJson(p));
    }

    /** An int read as leniently as Jackson's {@code JsonNode.asInt()}: 0 for what is no number. */
    private static int lenientInt(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case VALUE_NUMBER_INT:
                return switch (p.getNumberType()) {
                    case INT -> p.getIntValue();
                    case LONG -> (int) p.getLongValue();
                    default -> p.getBigIntegerValue().intValue();
                };
            case VALUE_NUMBER_FLOAT:
                return (int) p.getDoubleValue();
            case VALUE_STRING:
                return NumberInput.parseAsInt(p.getText(), 0);
            case VALUE_TRUE:
                return 1;
            default:
                p.skipChildren();
                return 0;
        }
    }

    /** The value the parser is on as compact JSON, for messages (reads through the end of an object/array). */
    private static String asJson(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case START_OBJECT, START_ARRAY -> PlaylistArrayReader.MAPPER.readTree(p).toString();
            case VALUE_STRING -> TextNode.valueOf(p.getText()).toString();
            default -> scalarText(p);
        };
    }

    /** Skips the remaining elements of the array the parser is in, leaving it on the array's END_ARRAY. */
    private static void skipRestOfArray(JsonParser p) throws IOException {
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) {
                throw new IllegalArgumentException("input ends inside an array");
            }
            p.skipChildren();
        }
    }

    // ---- problems of one object, kept per check so the first in check order is the one reported ----

    private static String[] note(String[] bad, int checks, int check, String reason) {
        if (check < 0) {
            throw new IllegalStateException("no check for " + reason);
        }
        if (bad == null) {
            bad = new String[checks];
        }
        bad[check] = reason;
        return bad;
    }

    private static String[] clear(String[] bad, int check) {
        if (bad != null && check >= 0) {
            bad[check] = null;
        }
        return bad;
    }

    private static String[] require(String[] bad, int checks, int check, boolean present, String field) {
        if (present || (bad != null && bad[check] != null)) {
            return bad;
        }
        return note(bad, checks, check, "missing field \"" + field + "\"");
    }

    private static void throwFirst(String[] bad) {
        if (bad != null) {
            for (String reason : bad) {
                if (reason != null) {
                    throw new IllegalArgumentException(reason);
                }
            }
        }
    }
}
