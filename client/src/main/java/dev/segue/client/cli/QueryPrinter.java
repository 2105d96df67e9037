package dev.segue.client.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segue.api.v1.ContinueResponse;
import dev.segue.api.v1.LatencySummary;
import dev.segue.api.v1.ScoredTrack;
import dev.segue.api.v1.SimilarTracksResponse;
import dev.segue.api.v1.StatusResponse;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The text tables and JSON objects printed by {@code segue query}; JSON keys are the proto field names, plus
 * {@code server} and {@code round_trip_ms} (this call as the client saw it, connection set-up included).
 */
final class QueryPrinter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private QueryPrinter() {}

    static void continued(PrintWriter out, boolean json, String server, ContinueResponse r, double millis)
            throws Exception {
        if (json) {
            ObjectNode o = JSON.createObjectNode();
            o.put("server", server);
            o.put("data_version", r.getDataVersion());
            o.put("strategy", r.getStrategy().name());
            ObjectNode stages = o.putObject("stages");
            stages.put("second_stage", r.getStages().getSecondStage());
            ArrayNode sources = stages.putArray("sources");
            r.getStages().getSourcesList().forEach(sources::add);
            stages.put("candidates", r.getStages().getCandidates());
            stages.put("ranker_version", r.getStages().getRankerVersion());
            stages.put("note", r.getStages().getNote());
            ArrayNode unknown = o.putArray("unknown_seed_uris");
            r.getUnknownSeedUrisList().forEach(unknown::add);
            tracks(o, r.getTracksList());
            o.put("round_trip_ms", round(millis));
            print(out, o);
            return;
        }
        out.printf(Locale.ROOT, "strategy %s, data version %s, %d tracks in %.1f ms from %s%n",
                r.getStrategy().name(), r.getDataVersion(), r.getTracksCount(), millis, server);
        if (r.hasStages()) {
            out.println(r.getStages().getSecondStage()
                    ? "two stages: ranker " + r.getStages().getRankerVersion() + " over " + r.getStages().getCandidates()
                            + " candidates from " + String.join(", ", r.getStages().getSourcesList())
                    : "first stage only (" + String.join(", ", r.getStages().getSourcesList()) + "): "
                            + r.getStages().getNote());
        }
        if (r.getUnknownSeedUrisCount() > 0) {
            out.println("ignored unknown seeds: " + String.join(" ", r.getUnknownSeedUrisList()));
        }
        table(out, r.getTracksList());
        out.flush();
    }

    static void similar(PrintWriter out, boolean json, String server, String track, SimilarTracksResponse r,
                        double millis) throws Exception {
        if (json) {
            ObjectNode o = JSON.createObjectNode();
            o.put("server", server);
            o.put("track_uri", track);
            o.put("data_version", r.getDataVersion());
            tracks(o, r.getTracksList());
            o.put("round_trip_ms", round(millis));
            print(out, o);
            return;
        }
        out.printf(Locale.ROOT, "similar to %s, data version %s, %d tracks in %.1f ms from %s%n",
                track, r.getDataVersion(), r.getTracksCount(), millis, server);
        table(out, r.getTracksList());
        out.flush();
    }

    private static String orOff(String version) {
        return version.isEmpty() ? "off" : version;
    }

    static void status(PrintWriter out, boolean json, String server, StatusResponse r, double millis)
            throws Exception {
        boolean loaded = !r.getDataVersion().isEmpty();
        if (json) {
            ObjectNode o = JSON.createObjectNode();
            o.put("server", server);
            o.put("serving", loaded);
            o.put("data_version", r.getDataVersion());
            o.put("item_count", r.getItemCount());
            o.put("dimensions", r.getDimensions());
            ObjectNode index = o.putObject("index");
            index.put("m", r.getIndex().getM());
            index.put("ef_construction", r.getIndex().getEfConstruction());
            index.put("ef", r.getIndex().getEf());
            index.put("ef_factor", r.getIndex().getEfFactor());
            o.put("index_build_millis", r.getIndexBuildMillis());
            o.put("index_loaded_from_disk", r.getIndexLoadedFromDisk());
            o.put("index_source", r.getIndexSource());
            o.put("loaded_at_epoch_millis", r.getLoadedAtEpochMillis());
            o.put("uptime_seconds", r.getUptimeSeconds());
            o.put("store_path", r.getStorePath());
            o.put("titles_version", r.getTitlesVersion());
            o.put("stats_version", r.getStatsVersion());
            o.put("title_tracks_version", r.getTitleTracksVersion());
            o.put("ranker_version", r.getRankerVersion());
            o.put("ranker_note", r.getRankerNote());
            ArrayNode latencies = o.putArray("latencies");
            for (LatencySummary l : r.getLatenciesList()) {
                latencies.addObject().put("method", l.getMethod()).put("count", l.getCount())
                        .put("errors", l.getErrors()).put("p50_ms", l.getP50Ms()).put("p95_ms", l.getP95Ms())
                        .put("p99_ms", l.getP99Ms()).put("max_ms", l.getMaxMs());
            }
            o.put("round_trip_ms", round(millis));
            print(out, o);
            return;
        }
        out.printf(Locale.ROOT, "server        %s, up %s (this call: %.1f ms, connecting included)%n", server,
                duration(r.getUptimeSeconds()), millis);
        out.println("store         " + r.getStorePath());
        if (!loaded) {
            out.println("data version  none: no index loaded yet");
        } else {
            out.println("data version  " + r.getDataVersion() + " (loaded "
                    + Instant.ofEpochMilli(r.getLoadedAtEpochMillis()) + ")");
            out.printf(Locale.ROOT, "items         %d tracks x %d dimensions%n", r.getItemCount(), r.getDimensions());
            out.printf(Locale.ROOT, "feature sets  titles %s, track_stats %s, title_tracks %s%n",
                    orOff(r.getTitlesVersion()), orOff(r.getStatsVersion()), orOff(r.getTitleTracksVersion()));
            out.printf(Locale.ROOT, "index         HNSW M=%d efConstruction=%d ef=%d ef-factor=%s, %s in %d ms%n",
                    r.getIndex().getM(), r.getIndex().getEfConstruction(), r.getIndex().getEf(),
                    num(r.getIndex().getEfFactor()), r.getIndexLoadedFromDisk() ? "loaded from disk" : "built",
                    r.getIndexBuildMillis());
            if (!r.getIndexSource().isEmpty()) {
                out.println("index source  " + r.getIndexSource());
            }
            if (!r.getRankerVersion().isEmpty()) {
                out.println("ranker        " + r.getRankerVersion() + " (" + r.getRankerNote() + ")");
            }
        }
        if (r.getLatenciesCount() == 0) {
            out.println("latency       no requests yet");
        } else {
            out.printf(Locale.ROOT, "latency (ms)  %-16s %9s %7s %8s %8s %8s %8s%n", "method", "count", "errors",
                    "p50", "p95", "p99", "max");
            for (LatencySummary l : r.getLatenciesList()) {
                out.printf(Locale.ROOT, "              %-16s %9d %7d %8.2f %8.2f %8.2f %8.2f%n", l.getMethod(),
                        l.getCount(), l.getErrors(), l.getP50Ms(), l.getP95Ms(), l.getP99Ms(), l.getMaxMs());
            }
        }
        out.flush();
    }

    private static void tracks(ObjectNode o, List<ScoredTrack> tracks) {
        ArrayNode a = o.putArray("tracks");
        int rank = 1;
        for (ScoredTrack t : tracks) {
            a.addObject().put("rank", rank++).put("score", t.getScore()).put("track_uri", t.getTrackUri())
                    .put("artist_uri", t.getArtistUri());
        }
    }

    private static void table(PrintWriter out, List<ScoredTrack> tracks) {
        int width = Math.max(9, tracks.stream().mapToInt(t -> t.getTrackUri().length()).max().orElse(0));
        String row = "%4s  %9s  %-" + width + "s  %s%n";
        out.printf(Locale.ROOT, row, "rank", "score", "track", "artist");
        int rank = 1;
        for (ScoredTrack t : tracks) {
            out.printf(Locale.ROOT, row, rank++, String.format(Locale.ROOT, "%.4f", t.getScore()), t.getTrackUri(),
                    t.getArtistUri());
        }
    }

    private static void print(PrintWriter out, ObjectNode o) throws Exception {
        out.println(JSON.writeValueAsString(o));
        out.flush();
    }

    private static double round(double millis) {
        return Math.round(millis * 100) / 100.0;
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.1f", v) : Double.toString(v);
    }

    private static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, (seconds % 3600) / 60);
    }
}
