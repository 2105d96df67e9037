package dev.segue.baselines;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The named baselines selectable with {@code --baseline NAME} ({@code all} for every one). */
public final class Baselines {
    public static final String ALL = "all";
    public static final String ORACLE = "oracle";

    /** Name → what it needs, in report order. */
    private static final Map<String, String> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put("popular", "--mpd");
        NAMES.put("similar-playlist", "--mpd");
        NAMES.put("popular-artist", "--mpd");
        NAMES.put("artist-popularity", "--mpd");
        NAMES.put("title-knn", "--mpd and --store");
        NAMES.put("als-exact", "--store");
        NAMES.put(TwoStageMethod.FIRST_STAGE, "--store");
        NAMES.put(TwoStageMethod.TWO_STAGE, "--store");
        NAMES.put(ORACLE, "--oracle");
    }

    private Baselines() {}

    public static List<String> names() {
        return List.copyOf(NAMES.keySet());
    }

    /**
     * True when {@code name} came from {@code all} rather than by name and needs what the command line cannot
     * show (two-stage: a ranker in the store), so {@code all} skips it when it is missing.
     */
    public static boolean optionalInAll(String name, List<String> requested) {
        if (!TwoStageMethod.TWO_STAGE.equals(name)) {
            return false;
        }
        for (String raw : requested) {
            for (String n : raw.split(",")) {
                if (n.trim().equals(name)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** What a baseline needs on the command line. */
    public static String requirement(String name) {
        return NAMES.get(name);
    }

    /**
     * The baselines to run for the given names, duplicates dropped. {@code all} expands to every baseline whose
     * inputs were given (the skipped ones are reported to {@code skipped}); a baseline named explicitly must
     * have its inputs.
     *
     * @throws IllegalArgumentException an unknown name (listing the known ones) or a missing input
     */
    public static List<String> resolve(List<String> requested, boolean haveMpd, boolean haveStore,
                                       boolean haveOracle, java.util.function.Consumer<String> skipped) {
        Set<String> out = new LinkedHashSet<>();
        for (String raw : requested) {
            for (String name : raw.split(",")) {
                name = name.trim();
                if (name.isEmpty()) {
                    continue;
                }
                if (ALL.equals(name)) {
                    for (String n : NAMES.keySet()) {
                        String missing = missing(n, haveMpd, haveStore, haveOracle);
                        if (missing == null) {
                            out.add(n);
                        } else if (skipped != null) {
                            skipped.accept("skipping baseline " + n + ": it needs " + missing);
                        }
                    }
                } else if (NAMES.containsKey(name)) {
                    String missing = missing(name, haveMpd, haveStore, haveOracle);
                    if (missing != null) {
                        throw new BaselineInputs.MissingInputException("baseline " + name + " needs " + missing);
                    }
                    out.add(name);
                } else {
                    throw new IllegalArgumentException("unknown baseline '" + name + "'; choose from: "
                            + String.join(", ", NAMES.keySet()) + ", or all");
                }
            }
        }
        return new ArrayList<>(out);
    }

    private static String missing(String name, boolean haveMpd, boolean haveStore, boolean haveOracle) {
        String need = NAMES.get(name);
        List<String> lacking = new ArrayList<>();
        if (need.contains("--mpd") && !haveMpd) {
            lacking.add("--mpd DIR (training slices)");
        }
        if (need.contains("--store") && !haveStore) {
            lacking.add("--store DIR (feature store)");
        }
        if (need.contains("--oracle") && !haveOracle) {
            lacking.add("--oracle FILE (a submission from segue oracle)");
        }
        return lacking.isEmpty() ? null : String.join(" and ", lacking);
    }

    /** Creates a baseline, loading what it needs from {@code inputs}. */
    public static Recommender create(String name, BaselineInputs inputs) throws IOException {
        return switch (name) {
            case "popular" -> new PopularTracks(inputs.training(name));
            case "similar-playlist" -> new SimilarPlaylist(inputs.training(name));
            case "popular-artist" -> new PopularArtist(inputs.training(name));
            case "artist-popularity" -> new ArtistWeightedPopularity(inputs.training(name));
            case "title-knn" -> new TitleNeighbours(inputs.training(name), inputs.titleVectors(name));
            case "als-exact" -> new ExactFoldIn(inputs.exactWrmf(name));
            case TwoStageMethod.FIRST_STAGE -> new TwoStageMethod(inputs.offlineTwoStage(name, false), false, null);
            case TwoStageMethod.TWO_STAGE -> new TwoStageMethod(inputs.offlineTwoStage(name, true), true,
                    inputs.rankerVersion());
            case ORACLE -> {
                if (inputs.oracle() == null) {
                    throw new BaselineInputs.MissingInputException(
                            "the oracle baseline needs the oracle's submission: give --oracle FILE (from segue oracle)");
                }
                yield new SubmissionRecommender(ORACLE, "the generator's oracle: tracks ranked by each playlist's "
                        + "true distribution (the ceiling)", inputs.oracle(), inputs.inChallenge());
            }
            default -> throw new IllegalArgumentException("unknown baseline '" + name + "'; choose from: "
                    + String.join(", ", NAMES.keySet()) + ", or all");
        };
    }
}
