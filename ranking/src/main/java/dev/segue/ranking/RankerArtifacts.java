package dev.segue.ranking;

import dev.segue.store.CorruptionException;
import dev.segue.store.FeatureStore;
import dev.segue.store.StoreArtifacts;
import dev.segue.store.StoreArtifacts.Artifact;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Rankers as versioned store artifacts: {@code <store>/_artifacts/ranker/<version>/lambdamart/} holds
 * {@code model.ubj} (XGBoost's UBJSON model) and {@code artifact.json}, written whole (staging folder, one
 * rename) with the file's size and CRC32C, exactly as the index server's graphs ({@link StoreArtifacts}; the
 * format is featurestore/FORMAT.md, "Artifacts"). The manifest's {@code parameters} carry the ranker's record:
 *
 * <ul>
 *   <li>{@code features}: the ordered feature list, comma-separated (the contract with its users);</li>
 *   <li>{@code input.<set>}: the version of each feature set the examples were computed from;</li>
 *   <li>{@code param.<name>}: the training parameters;</li>
 *   <li>{@code metric.<name>}: training sizes and validation NDCG.</li>
 * </ul>
 * {@code builtFrom} is {@value #SET}, {@code version} the ranker's version (UTC time + random suffix, so versions
 * sort by creation), {@code rowCount} the training rows and {@code dim} the number of features.
 * <p>
 * A store that is not a local folder ({@code hdfs://…}) keeps its rankers on its own file system, through the
 * store's {@code StoreFileIO}: listed and found there, written locally and uploaded whole, downloaded once into
 * {@link StoreArtifacts#of}'s local copy (XGBoost loads the model from bytes).
 */
public final class RankerArtifacts {
    /** The artifact family: {@code _artifacts/ranker/}. */
    public static final String SET = "ranker";
    /** The artifact name under a version. */
    public static final String NAME = "lambdamart";
    public static final String FILE = "model.ubj";
    public static final String PRODUCER = "segue-ranking";
    private static final DateTimeFormatter VERSION_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final FeatureStore store;
    private final StoreArtifacts artifacts;

    public RankerArtifacts(FeatureStore store) {
        this.store = store;
        this.artifacts = StoreArtifacts.of(store);
    }

    /** A new ranker version id: {@code yyyyMMddTHHmmssZ-xxxxxxxx}. */
    public static String newVersion() {
        return VERSION_TIME.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Saves {@code model} as ranker {@code version}; returns the committed artifact.
     *
     * @param trainRows the number of training rows (the manifest's {@code rowCount})
     */
    public Artifact save(String version, RankerModel model, long trainRows) throws IOException {
        return save(version, model, trainRows, Map.of());
    }

    /**
     * As {@link #save(String, RankerModel, long)}, with more metrics of the training run (e.g. candidate recall
     * per category) recorded as {@code metric.<name>} beside the model's own.
     */
    public Artifact save(String version, RankerModel model, long trainRows, Map<String, String> moreMetrics)
            throws IOException {
        Map<String, String> params = new TreeMap<>();
        moreMetrics.forEach((k, v) -> params.put("metric." + k, v));
        for (String f : model.features()) {
            if (f.contains(",")) {
                throw new IllegalArgumentException("a feature name cannot contain ',': " + f);
            }
        }
        params.put("features", String.join(",", model.features()));
        model.builtFrom().forEach((k, v) -> params.put("input." + k, v));
        model.parameters().forEach((k, v) -> params.put("param." + k, v));
        model.metrics().forEach((k, v) -> params.put("metric." + k, v));
        byte[] bytes = model.toBytes();
        return artifacts.write(SET, version, trainRows, model.features().size(), NAME, FILE, params, PRODUCER,
                file -> Files.write(file, bytes));
    }

    /**
     * Ranker versions with a committed artifact, oldest first, listed on the store's own file system (an
     * {@code hdfs://} store's rankers are found there, not in this machine's local copies).
     */
    public List<String> versions() {
        return artifacts.versions(SET, NAME);
    }

    /** Where the rankers are ({@code <store>/_artifacts/ranker}, on the store's file system), for messages. */
    public String location() {
        return artifacts.location(SET);
    }

    /** The newest ranker version, if any. */
    public Optional<String> latest() {
        List<String> v = versions();
        return v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    /**
     * Loads ranker {@code version} ("latest" for the newest), checking the file's checksum and that its feature
     * list is {@code expectedFeatures}.
     *
     * @throws IllegalArgumentException no such ranker (naming the folder), or another feature list (naming both)
     * @throws CorruptionException      the model file fails its size or CRC32C check (naming the path) or its
     *                                  manifest is unreadable
     */
    public RankerModel load(String version, List<String> expectedFeatures) {
        final String v;
        if (version == null || version.isBlank() || "latest".equals(version)) {
            v = latest().orElseThrow(() -> new IllegalArgumentException("no ranker in " + location()
                    + ": train one with the ranker pipeline (serving falls back to the first stage)"));
        } else {
            v = version;
        }
        Artifact a = artifacts.find(SET, v, NAME).orElseThrow(() -> new IllegalArgumentException(
                "no ranker artifact " + location() + "/" + v + "/" + NAME + "/" + StoreArtifacts.MANIFEST));
        Map<String, String> p = a.manifest().parameters();
        String features = p == null ? null : p.get("features");
        if (features == null || features.isEmpty()) {
            throw new CorruptionException(a.folder().resolve(StoreArtifacts.MANIFEST) + ": the ranker manifest has no "
                    + "feature list");
        }
        List<String> names = Arrays.asList(features.split(","));
        if (expectedFeatures != null && !names.equals(expectedFeatures)) {
            throw new IllegalArgumentException("ranker " + v + " (" + a.folder() + ") was trained on the features "
                    + names + ", but this build computes " + expectedFeatures + ": retrain the ranker");
        }
        a.verify();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(a.file());
        } catch (IOException e) {
            throw new UncheckedIOException(a.file() + ": cannot read the ranker: " + e.getMessage(), e);
        }
        Map<String, String> input = new TreeMap<>();
        Map<String, String> params = new TreeMap<>();
        Map<String, String> metrics = new TreeMap<>();
        p.forEach((k, val) -> {
            if (k.startsWith("input.")) {
                input.put(k.substring(6), val);
            } else if (k.startsWith("param.")) {
                params.put(k.substring(6), val);
            } else if (k.startsWith("metric.")) {
                metrics.put(k.substring(7), val);
            }
        });
        try {
            return RankerModel.fromBytes(bytes, names, input, params, metrics);
        } catch (IllegalArgumentException e) {
            throw new CorruptionException(a.file() + ": " + e.getMessage(), e);
        }
    }

    /** The store this reads and writes. */
    public FeatureStore store() {
        return store;
    }
}
