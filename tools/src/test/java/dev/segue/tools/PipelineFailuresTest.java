package dev.segue.tools;

import static dev.segue.tools.BenchCommandsTest.assertOneLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22 part 4 through {@code segue}: bad input to any pipeline is exit code 2 with one line that starts
 * with the command's full name and holds no Java class name, and a run that stops keeps its evidence (dead
 * letters, a failed run report) with no temporary folder left.
 */
class PipelineFailuresTest {
    static final String PLAY_HEADER = "uid,device,song_id,song_type,song_name,singer,play_time,song_length,paid_flag,date";
    static final String AUDIO_HEADER = "Id,title,artist,year,bpm,nrgy,dnce,dB,live,val,dur,acous,spch,pop,top genre";

    @TempDir
    Path tmp;

    private static Segue.Result badInput(String prefix, String... args) {
        Segue.Result r = Segue.run(args);
        assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err() + r.out());
        assertTrue(r.err().startsWith(prefix), "expected '" + prefix + "' first in: " + r.err());
        assertFalse(r.err().contains("java.") || r.err().contains("Exception"), r.err());
        assertOneLine(r.err());
        return r;
    }

    /** Only the dead letters and the failed report are left in the report folder. */
    private static JsonNode failedReport(Path report) throws Exception {
        try (Stream<Path> s = Files.list(report)) {
            assertEquals(List.of("dead-letters.csv", "report.json"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        JsonNode doc = new ObjectMapper().readTree(report.resolve("report.json").toFile());
        assertEquals("failed", doc.get("status").asText());
        return doc;
    }

    @Test
    void aMissingColumnIsExitTwoInBothPipelines() throws Exception {
        Path logs = tmp.resolve("logs");
        Files.createDirectories(logs);
        Files.write(logs.resolve("play.csv"), List.of("uid,device,song_id,play_time,date", "1,ar,s,3,2017-04-01"));
        badInput("segue pipeline churn: " + logs.resolve("play.csv") + ":1: play log header lacks column "
                + "'song_length'", "pipeline", "churn", "--logs", logs.toString(), "--store", tmp.resolve("s").toString());
        Path audio = tmp.resolve("audio.csv");
        Files.write(audio, List.of(AUDIO_HEADER.replace(",bpm", ""), "a,t,x,2000,1,1,1,1,1,1,1,1,1,pop"));
        badInput("segue pipeline genre: " + audio + ":1: audio header lacks column 'bpm'", "pipeline", "genre",
                "--audio", audio.toString(), "--store", tmp.resolve("s").toString());
        assertFalse(Files.exists(tmp.resolve("s")), "a refused run wrote to the store");
    }

    @Test
    void churnOnAllGarbageLogsKeepsItsEvidence() throws Exception {
        Path logs = tmp.resolve("logs");
        Files.createDirectories(logs);
        Files.write(logs.resolve("play.csv"), List.of(PLAY_HEADER, "garbage", "more,garbage", "1,ar,s,0,n,x,1,2,0,0001-01-01"));
        Path report = tmp.resolve("churn-report");
        Segue.Result r = badInput("segue pipeline churn: the logs hold no line with a valid and plausible date; every "
                + "line is a dead letter (dead letters: 3; run report: " + report.resolve("report.json") + ")",
                "pipeline", "churn", "--logs", logs.toString(), "--store", tmp.resolve("store").toString(),
                "--report-dir", report.toString(), "--user-shards", "2");
        JsonNode doc = failedReport(report);
        assertEquals(2, doc.get("counters").get("deadletter.malformed_line").asLong(), doc.toString());
        assertEquals(1, doc.get("counters").get("deadletter.implausible").asLong(), doc.toString());
        assertEquals(4, Files.readAllLines(report.resolve("dead-letters.csv")).size(), r.err());
    }

    @Test
    void genreWithoutAUsableRowKeepsItsEvidence() throws Exception {
        Path audio = tmp.resolve("audio.csv");
        Files.write(audio, List.of(AUDIO_HEADER, "a,t,x,2000,0,1,1,1,1,1,1,1,1,42,pop", "b,t,x,2000,1,1"));
        Path report = tmp.resolve("genre-report");
        badInput("segue pipeline genre: the audio file has no usable row (dead letters: 2; run report: "
                        + report.resolve("report.json") + ")", "pipeline", "genre", "--audio", audio.toString(),
                "--store", tmp.resolve("store").toString(), "--report-dir", report.toString());
        JsonNode doc = failedReport(report);
        assertEquals("the audio file has no usable row", doc.get("error").asText());
        List<String> dead = Files.readAllLines(report.resolve("dead-letters.csv"));
        assertTrue(dead.get(1).contains(",IMPLAUSIBLE,") && dead.get(1).contains("bpm 0 is not above"), dead.toString());
        assertTrue(dead.get(2).contains(",MALFORMED_LINE,"), dead.toString());
    }

    /** --maxErrorRate stops the run: bad input (exit 2), and the --dead-letters file is written all the same. */
    @Test
    void continuationStoppedByTheErrorRateWritesItsDeadLetters() throws Exception {
        Path mpd = tmp.resolve("mpd");
        Files.createDirectories(mpd);
        String good = "{\"name\": \"Mix\", \"collaborative\": \"false\", \"pid\": %d, \"modified_at\": 1, \"num_tracks\": 1, "
                + "\"tracks\": [{\"pos\": 0, \"artist_name\": \"A\", \"track_uri\": \"spotify:track:a\", \"artist_uri\": "
                + "\"spotify:artist:1\", \"track_name\": \"T\", \"album_uri\": \"spotify:album:1\", \"duration_ms\": 1000, "
                + "\"album_name\": \"B\"}]}";
        Files.writeString(mpd.resolve("mpd.slice.0-2.json"), "{\"info\": {\"slice\": \"0-2\"}, \"playlists\": [\n"
                + String.format(good, 0) + ",\n{\"name\": \"no pid\", \"tracks\": []},\n" + String.format(good, 2) + "\n]}\n");
        Path dead = tmp.resolve("dead").resolve("dead.jsonl");
        badInput("segue pipeline continuation: 1 of 3 playlist records (33.33%) are malformed, more than the allowed "
                + "--maxErrorRate=0.1", "pipeline", "continuation", "--mpd", mpd.toString(), "--store",
                tmp.resolve("store").toString(), "--max-error-rate", "0.1", "--dead-letters", dead.toString(),
                "--factors", "4", "--iterations", "1", "--quiet");
        List<String> lines = Files.readAllLines(dead);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("mpd.slice.0-2.json") && lines.get(0).contains("pid"), lines.get(0));
        try (Stream<Path> s = Files.list(dead.getParent())) {
            assertEquals(List.of("dead.jsonl"), s.map(p -> p.getFileName().toString()).toList(), "no temporary folder");
        }
    }
}
