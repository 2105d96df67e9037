package dev.segue.serving.index;

import dev.segue.store.CorruptionException;
import dev.segue.store.StoreArtifacts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HNSW graph of a factor version as a store artifact ({@link StoreArtifacts}):
 * {@code <store>/_artifacts/<feature set>/<version>/hnsw-m<M>-efc<efConstruction>/graph.bin} with an
 * {@code artifact.json} naming the factors' version, row count and dimension, M, efConstruction and the file's
 * CRC32C. Written offline ({@code segue index build}, the continuation pipeline before its snapshot) or by the
 * server after it had to build; loaded in seconds. An artifact that does not match the factors being loaded
 * (version, rows, dimension, parameters, checksum, or the factors' fingerprint in the graph header) is refused
 * naming both values and rebuilt, never served.
 */
public final class IndexArtifacts {
    private static final Logger LOG = LoggerFactory.getLogger(IndexArtifacts.class);
    public static final String FILE = "graph.bin";
    public static final String PRODUCER = "segue-index";

    private final StoreArtifacts artifacts;

    /** Artifacts under {@code root} (a store's {@code _artifacts} folder); {@code null} disables them (always build). */
    public IndexArtifacts(Path root) {
        this(root == null ? null : new StoreArtifacts(root));
    }

    private IndexArtifacts(StoreArtifacts artifacts) {
        this.artifacts = artifacts;
    }

    /** The given artifacts (a store's own, {@link StoreArtifacts#of}, also for a store on HDFS). */
    public static IndexArtifacts of(StoreArtifacts artifacts) {
        return new IndexArtifacts(artifacts);
    }

    public Path root() {
        return artifacts == null ? null : artifacts.root();
    }

    /** The artifact's name for these build parameters: {@code hnsw-m<M>-efc<efConstruction>}. */
    public static String name(HnswParams params) {
        return "hnsw-m" + params.m() + "-efc" + params.efConstruction();
    }

    /**
     * How the index in a {@link Loaded} came to be.
     *
     * @param fromDisk loaded from the artifact (else built)
     * @param millis   milliseconds spent loading or building
     * @param source   one line for the log and Status: which artifact was loaded, or why the graph was built
     */
    public record Loaded(MipsIndex index, boolean fromDisk, long millis, Path file, String source) {}

    /** The artifact was built from other data or with other parameters than the factors being loaded. */
    public static final class MismatchException extends Exception {
        public MismatchException(String message) {
            super(message);
        }
    }

    /**
     * Loads the artifact for {@code featureSet} {@code version} after checking it against {@code factors}.
     *
     * @return empty when there is none
     * @throws MismatchException it does not match (the message names both values)
     */
    public Optional<Loaded> load(String featureSet, String version, FactorMatrix factors, HnswParams params)
            throws MismatchException {
        if (artifacts == null) {
            return Optional.empty();
        }
        long start = System.nanoTime();
        StoreArtifacts.Artifact a;
        try {
            a = artifacts.find(featureSet, version, name(params)).orElse(null);
        } catch (CorruptionException e) {
            throw new MismatchException(e.getMessage());
        }
        if (a == null) {
            return Optional.empty();
        }
        check(a, featureSet, version, factors, params);
        try {
            a.verify();
        } catch (CorruptionException e) {
            throw new MismatchException("index artifact " + e.getMessage());
        }
        MipsIndex index;
        try {
            index = MipsIndex.load(a.file(), factors, dataKey(featureSet, version), params);
        } catch (MipsIndex.StaleIndexException | IOException | RuntimeException e) {
            throw new MismatchException("index artifact " + e.getMessage());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return Optional.of(new Loaded(index, true, millis, a.file(),
                "loaded index artifact " + a.folder().getFileName() + " of " + featureSet + " " + version
                        + " (CRC32C " + a.manifest().file().crc32c() + " checked) in " + millis + " ms"));
    }

    /** Manifest against factors: version, row count, dimension, build parameters; both values named. */
    static void check(StoreArtifacts.Artifact a, String featureSet, String version, FactorMatrix factors,
                      HnswParams params) throws MismatchException {
        StoreArtifacts.ArtifactManifest m = a.manifest();
        String what = "index artifact " + a.folder();
        if (!featureSet.equals(m.builtFrom()) || !version.equals(m.version())) {
            throw new MismatchException(what + " was built from " + m.builtFrom() + " " + m.version() + ", not from "
                    + featureSet + " " + version + " being loaded");
        }
        if (m.rowCount() != factors.rows()) {
            throw new MismatchException(what + " was built from " + m.rowCount() + " rows, but " + featureSet + " "
                    + version + " has " + factors.rows());
        }
        if (m.dim() != factors.dim()) {
            throw new MismatchException(what + " was built from vectors of dimension " + m.dim() + ", but "
                    + featureSet + " " + version + " has dimension " + factors.dim());
        }
        Map<String, String> p = m.parameters() == null ? Map.of() : m.parameters();
        String wantM = Integer.toString(params.m());
        String wantEfc = Integer.toString(params.efConstruction());
        if (!wantM.equals(p.get("m")) || !wantEfc.equals(p.get("efConstruction"))) {
            throw new MismatchException(what + " has M=" + p.get("m") + " efConstruction=" + p.get("efConstruction")
                    + ", wanted M=" + wantM + " efConstruction=" + wantEfc);
        }
    }

    /**
     * Loads the artifact for this data and parameters, or builds the graph — when there is none, or when the one
     * there does not match (logged with the reason, then replaced) — and saves it as the artifact.
     */
    public Loaded loadOrBuild(String featureSet, String version, FactorMatrix factors, HnswParams params,
                              int threads, BuildProgress progress, Cancellation cancel) throws InterruptedException {
        String why;
        try {
            Optional<Loaded> loaded = load(featureSet, version, factors, params);
            if (loaded.isPresent()) {
                LOG.info("{}", loaded.get().source());
                return loaded.get();
            }
            why = artifacts == null ? "index artifacts are off"
                    : "no index artifact " + name(params) + " for " + featureSet + " " + version;
        } catch (MismatchException e) {
            why = "refused: " + e.getMessage();
            LOG.warn("{}; rebuilding the graph", why);
        }
        LOG.info("building the HNSW graph of {} {} ({})", featureSet, version, why);
        long start = System.nanoTime();
        MipsIndex index = MipsIndex.build(factors, params, threads, progress, cancel);
        long millis = (System.nanoTime() - start) / 1_000_000;
        Path file = null;
        if (artifacts != null) {
            try {
                file = save(index, featureSet, version).file();
            } catch (IOException | RuntimeException e) {
                // serving does not depend on the artifact; the next start builds again
                LOG.warn("could not save the index artifact under {}: {}", artifacts.location(), e.toString());
            }
        }
        return new Loaded(index, false, millis, file, "built in " + millis + " ms: " + why);
    }

    /** Saves {@code index} as the artifact of {@code featureSet} {@code version} (replacing any). */
    public StoreArtifacts.Artifact save(MipsIndex index, String featureSet, String version) throws IOException {
        if (artifacts == null) {
            throw new IllegalStateException("index artifacts are off");
        }
        HnswParams p = index.params();
        return artifacts.write(featureSet, version, index.factors().rows(), index.factors().dim(), name(p), FILE,
                Map.of("m", Integer.toString(p.m()), "efConstruction", Integer.toString(p.efConstruction())),
                PRODUCER, f -> index.save(f, dataKey(featureSet, version)));
    }

    private static String dataKey(String featureSet, String version) {
        return featureSet + "@" + version;
    }
}
