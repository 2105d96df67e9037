package dev.segue.generator;

import dev.segue.cli.ProgressMeter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segue.format.AtomicFile;
import dev.segue.format.ChallengeCategory;
import dev.segue.format.MpdFiles;
import dev.segue.format.MpdPlaylist;
import dev.segue.format.PlaylistFileWriter;
import dev.segue.format.SliceInfo;
import dev.segue.format.ChallengePlaylist;
import dev.segue.format.TruthPlaylist;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Writes a generated world (layout in notes/CONTRACTS.md): mpd/ slices, challenge/ set and truth, logs/,
 * audio/tracks.csv, truth/ (latent model) and stats.json. Work is spread over a small pool in independent
 * units (a slice, a block of challenge playlists, of catalog rows, of users), each from its own random
 * streams, and written in order, so the files are byte-identical for a given spec whatever the thread count.
 * Every file is written under a temporary name and renamed into place when complete; stats.json comes last.
 */
public final class WorldGenerator {
    /** What {@code --force} may delete in an output folder. */
    public static final List<String> OUTPUTS = List.of("mpd", "challenge", "logs", "audio", "truth", "stats.json");
    static final String GENERATED_ON = "2017-11-01 00:00:00.000000";
    static final String VERSION = "v1";
    static final int MODEL_VERSION = 1;
    private static final int CHALLENGE_BLOCK = 500;
    private static final int AUDIO_BLOCK = 50_000;
    private static final int USER_BLOCK = 250;

    /** How to run: where, what, how many threads, whether to overwrite and to show progress. */
    public record Options(Path out, WorldSpec spec, int threads, boolean force, boolean progress) {}

    private final Options options;
    private final WorldSpec spec;
    private final Path out;
    private World world;

    private WorldGenerator(Options options) {
        this.options = options;
        this.spec = options.spec();
        this.out = options.out();
    }

    /** Generates the world and returns its statistics (also written to stats.json). */
    public static ObjectNode generate(Options options) throws IOException {
        return new WorldGenerator(options).run();
    }

    private ObjectNode run() throws IOException {
        OutputFolder.prepare(out, options.force(), OUTPUTS);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.threads()), r -> {
            Thread t = new Thread(r, "segue-generate");
            t.setDaemon(true);
            return t;
        });
        try {
            world = World.build(spec, pool);
            ObjectNode stats;
            try (AtomicFile themes = AtomicFile.create(out.resolve("truth/playlists.jsonl"))) {
                stats = writeSlices(pool, themes.stream());
                ObjectNode challenge = writeChallenge(pool, themes.stream());
                themes.commit();
                stats.set("challenge", challenge);
            }
            writeAudio(pool);
            stats.set("logs", writeLogs(pool));
            stats.set("catalog", catalogJson());
            stats.set("world", worldJson());
            writeJson(out.resolve("truth/world.json"), worldFile());
            writeJson(out.resolve("stats.json"), stats);
            return stats;
        } finally {
            stop(pool);
        }
    }

    /** Stops the workers and waits for them, so an interrupted run has removed its temporary files on return. */
    static void stop(ExecutorService pool) {
        pool.shutdownNow();
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!pool.isTerminated() && System.nanoTime() < deadline) {
            try {
                pool.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- mpd slices ---------------------------------------------------------------------------------

    private record SliceResult(WorldStats stats, byte[] themes) {}

    private ObjectNode writeSlices(ExecutorService pool, OutputStream themes) throws IOException {
        PlaylistFactory factory = new PlaylistFactory(world);
        Catalog catalog = world.catalog();
        WorldStats total = new WorldStats();
        try (ProgressMeter progress = ProgressMeter.start("playlists", spec.playlists(), "playlists", options.progress())) {
            OrderedTasks.run(pool, spec.slices(), 2 * options.threads() + 1, i -> () -> {
                int from = i * WorldSpec.SLICE_SIZE;
                int to = Math.min(spec.playlists(), from + WorldSpec.SLICE_SIZE);
                WorldStats stats = new WorldStats();
                ByteArrayOutputStream lines = new ByteArrayOutputStream(256 * (to - from));
                Path file = out.resolve("mpd").resolve(MpdFiles.sliceName(from, to - 1));
                try (PlaylistFileWriter<MpdPlaylist> w = MpdFiles.writeSlice(file,
                        new SliceInfo(GENERATED_ON, from + "-" + (to - 1), VERSION))) {
                    for (int pid = from; pid < to; pid++) {
                        GeneratedPlaylist p = factory.create(pid);
                        MpdPlaylist mpd = p.toMpd(catalog);
                        w.write(mpd);
                        stats.add(mpd, p.tracks(), catalog);
                        ThemeJson.write(lines, pid, "train", p.theme(), p.walk(), catalog);
                    }
                    w.commit();
                }
                return new SliceResult(stats, lines.toByteArray());
            }, r -> {
                total.merge(r.stats());
                themes.write(r.themes());
                progress.step(r.stats().playlists());
            });
        }
        return total.toJson();
    }

    // ---- challenge ---------------------------------------------------------------------------------

    private record ChallengeBlock(List<ChallengeRules.Split> splits, byte[] themes) {}

    private ObjectNode writeChallenge(ExecutorService pool, OutputStream themes) throws IOException {
        PlaylistFactory factory = new PlaylistFactory(world);
        Catalog catalog = world.catalog();
        int total = spec.challengePlaylists();
        int blocks = (total + CHALLENGE_BLOCK - 1) / CHALLENGE_BLOCK;
        long[] seeds = new long[1];
        long[] holdouts = new long[1];
        try (PlaylistFileWriter<ChallengePlaylist> set = MpdFiles.writeChallenge(
                     out.resolve("challenge/challenge_set.json"), GENERATED_ON, VERSION);
             PlaylistFileWriter<TruthPlaylist> truth = MpdFiles.writeTruth(out.resolve("challenge/truth.json"), VERSION)) {
            OrderedTasks.run(pool, blocks, 2 * options.threads() + 1, b -> () -> {
                List<ChallengeRules.Split> splits = new ArrayList<>();
                ByteArrayOutputStream lines = new ByteArrayOutputStream();
                for (int j = b * CHALLENGE_BLOCK; j < Math.min(total, (b + 1) * CHALLENGE_BLOCK); j++) {
                    ChallengeCategory category = ChallengeCategory.values()[j / spec.challengePerCategory()];
                    long pid = (long) spec.playlists() + j;
                    GeneratedPlaylist p = factory.create(pid, ChallengeRules.minLength(category),
                            ChallengeRules.maxLength(category));
                    splits.add(ChallengeRules.split(p.toMpd(catalog), category,
                            world.streams().stream(RandomStreams.Kind.SPLIT, pid)));
                    ThemeJson.write(lines, pid, "challenge", p.theme(), p.walk(), catalog);
                }
                return new ChallengeBlock(splits, lines.toByteArray());
            }, block -> {
                for (ChallengeRules.Split s : block.splits()) {
                    set.write(s.challenge());
                    truth.write(s.truth());
                    seeds[0] += s.challenge().numSamples();
                    holdouts[0] += s.challenge().numHoldouts();
                }
                themes.write(block.themes());
            });
            set.commit();
            truth.commit();
        }
        ObjectNode o = JsonSupport.MAPPER.createObjectNode();
        o.put("playlists", total);
        o.put("per_category", spec.challengePerCategory());
        o.put("first_pid", spec.playlists());
        o.put("seed_tracks", seeds[0]);
        o.put("holdout_tracks", holdouts[0]);
        return o;
    }

    // ---- audio ---------------------------------------------------------------------------------------

    private void writeAudio(ExecutorService pool) throws IOException {
        Catalog catalog = world.catalog();
        AudioTable table = new AudioTable(catalog, world.model(), spec.seed());
        int blocks = (catalog.tracks() + AUDIO_BLOCK - 1) / AUDIO_BLOCK;
        try (AtomicFile audio = AtomicFile.create(out.resolve("audio/tracks.csv"));
             AtomicFile truth = AtomicFile.create(out.resolve("truth/tracks.csv"))) {
            audio.stream().write(AudioTable.HEADER.getBytes(StandardCharsets.UTF_8));
            truth.stream().write(AudioTable.TRUTH_HEADER.getBytes(StandardCharsets.UTF_8));
            OrderedTasks.run(pool, blocks, 2 * options.threads() + 1,
                    b -> () -> table.rows(b * AUDIO_BLOCK, Math.min(catalog.tracks(), (b + 1) * AUDIO_BLOCK)),
                    rows -> {
                        audio.stream().write(rows[0]);
                        truth.stream().write(rows[1]);
                    });
            audio.commit();
            truth.commit();
        }
    }

    // ---- logs ----------------------------------------------------------------------------------------

    private ObjectNode writeLogs(ExecutorService pool) throws IOException {
        LogSimulator sim = new LogSimulator(world.model(), world.streams(), spec.churn());
        int users = spec.users();
        int blocks = (users + USER_BLOCK - 1) / USER_BLOCK;
        long[] counts = new long[6];
        try (ProgressMeter progress = ProgressMeter.start("listeners", users, "users", options.progress());
             AtomicFile plays = AtomicFile.create(out.resolve("logs/play.csv"));
             AtomicFile downloads = AtomicFile.create(out.resolve("logs/download.csv"));
             AtomicFile searches = AtomicFile.create(out.resolve("logs/search.csv"));
             AtomicFile truth = AtomicFile.create(out.resolve("truth/users.csv"))) {
            plays.stream().write(LogSimulator.PLAY_HEADER.getBytes(StandardCharsets.UTF_8));
            downloads.stream().write(LogSimulator.DOWNLOAD_HEADER.getBytes(StandardCharsets.UTF_8));
            searches.stream().write(LogSimulator.SEARCH_HEADER.getBytes(StandardCharsets.UTF_8));
            truth.stream().write(LogSimulator.USERS_HEADER.getBytes(StandardCharsets.UTF_8));
            OrderedTasks.run(pool, blocks, 2 * options.threads() + 1,
                    b -> () -> sim.simulate(b * USER_BLOCK, Math.min(users, (b + 1) * USER_BLOCK)),
                    c -> {
                        plays.stream().write(c.plays());
                        downloads.stream().write(c.downloads());
                        searches.stream().write(c.searches());
                        truth.stream().write(c.users());
                        counts[0] += c.playRows();
                        counts[1] += c.downloadRows();
                        counts[2] += c.searchRows();
                        counts[3] += c.churners();
                        counts[4] += c.actives();
                        counts[5] += c.bots();
                        progress.step(c.listeners());
                    });
            plays.commit();
            downloads.commit();
            searches.commit();
            truth.commit();
        }
        ObjectNode o = JsonSupport.MAPPER.createObjectNode();
        o.put("users", users);
        o.put("churners", counts[3]);
        o.put("active", counts[4]);
        o.put("bots", counts[5]);
        o.put("new", users - counts[3] - counts[4] - counts[5]);
        o.put("play_rows", counts[0]);
        o.put("download_rows", counts[1]);
        o.put("search_rows", counts[2]);
        o.put("first_day", LogSimulator.FIRST_DAY.toString());
        o.put("label_window_start", LogSimulator.FIRST_DAY.plusDays(LogSimulator.LABEL_WINDOW_START).toString());
        o.put("last_day", LogSimulator.FIRST_DAY.plusDays(LogSimulator.DAYS - 1).toString());
        return o;
    }

    // ---- summaries -----------------------------------------------------------------------------------

    private ObjectNode catalogJson() {
        Catalog c = world.catalog();
        ObjectNode o = JsonSupport.MAPPER.createObjectNode();
        o.put("tracks", c.tracks());
        o.put("albums", c.albums());
        o.put("artists", c.artists());
        o.put("genres", c.taxonomy().genres().size());
        o.put("broad_genres", c.taxonomy().broadGenres().size());
        o.put("occasions", c.taxonomy().occasions().size());
        return o;
    }

    private ObjectNode worldJson() {
        ObjectNode o = JsonSupport.MAPPER.createObjectNode();
        o.put("seed", spec.seed());
        o.put("playlists", spec.playlists());
        o.put("challenge_per_category", spec.challengePerCategory());
        o.put("users", spec.users());
        o.put("shape", spec.shape().label());
        o.put("churn", spec.churn().label());
        return o;
    }

    /** truth/world.json: what the oracle needs to rebuild the model, and a description of it. */
    private ObjectNode worldFile() {
        ObjectNode o = worldJson();
        o.put("model_version", MODEL_VERSION);
        o.put("catalog_fingerprint", Long.toHexString(world.catalog().fingerprint()));
        o.set("catalog", catalogJson());
        ArrayNode genres = o.putArray("genres");
        for (Genre g : world.taxonomy().genres()) {
            genres.addObject().put("genre", g.label()).put("broad", g.broadName()).put("weight", g.weight());
        }
        ArrayNode occasions = o.putArray("occasions");
        for (Occasion oc : world.taxonomy().occasions()) {
            occasions.addObject().put("occasion", oc.name()).put("weight", oc.weight());
        }
        ObjectNode model = o.putObject("model");
        model.put("occasion_rate", ThemeSampler.OCCASION_RATE);
        model.put("head_probability", "0.7 * exp(-pos / 12): a theme draw takes the more popular of two draws");
        model.put("primary_boost", "1 + 1.5 * exp(-pos / 20) on the primary genre's weight");
        model.put("favorite_runs", "runs of 1 + Geometric(0.4) tracks of one favourite artist, 60% of them album runs");
        if (spec.shape() == WorldShape.DRIFT) {
            model.put("playlists", "drift: a walk over related artists (" + ArtistWalk.NEIGHBOURS + " per artist, "
                    + "runs of 1 + Geometric(" + ArtistWalk.RUN_STOP + ") tracks per artist) from the theme's first"
                    + " favourite; popular tail " + ArtistWalk.TAIL_MAX + " * (1 - exp(-pos / " + ArtistWalk.TAIL_SCALE
                    + ")); noise " + ArtistWalk.NOISE_RATE + "; titles mostly generic; 'walk' in playlists.jsonl");
        }
        model.put("files", "playlists.jsonl: theme per pid (train and challenge); users.csv: listener kind and churn"
                + " label; tracks.csv: each track's true genre");
        return o;
    }

    private static void writeJson(Path file, ObjectNode node) throws IOException {
        try (AtomicFile f = AtomicFile.create(file)) {
            f.stream().write(JsonSupport.PRETTY.writeValueAsBytes(node));
            f.stream().write('\n');
            f.commit();
        }
    }

    /** Shared Jackson instances. */
    static final class JsonSupport {
        static final ObjectMapper MAPPER = new ObjectMapper();
        static final com.fasterxml.jackson.databind.ObjectWriter PRETTY =
                MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writer();

        private JsonSupport() {}
    }
}
