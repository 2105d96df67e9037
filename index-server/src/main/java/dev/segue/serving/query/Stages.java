package dev.segue.serving.query;

import java.util.List;

/**
 * Which stages and candidate sources answered a continuation (the response's {@code stages}).
 *
 * @param secondStage   true when the ranker ordered the tracks
 * @param sources       the candidate sources that ran ({@code wrmf} alone with the first stage only)
 * @param candidates    candidates the ranker scored (0 with the first stage only)
 * @param rankerVersion the ranker that ordered them, or null
 * @param note          why the second stage did not run, or null when it ran
 */
public record Stages(boolean secondStage, List<String> sources, int candidates, String rankerVersion, String note) {
    public Stages {
        sources = List.copyOf(sources);
    }

    /** The factor model's list alone, for {@code why}. */
    public static Stages firstStage(String why) {
        return new Stages(false, List.of("wrmf"), 0, null, why);
    }
}
