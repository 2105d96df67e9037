/**
 * The two-stage recommender's core (issue 19), shared by the index server (online), the client's evaluator
 * (exact offline) and the Beam training pipeline, with no Beam and no gRPC.
 *
 * <p>Entry points:
 * <ul>
 *   <li>{@link dev.segue.ranking.RankingData} — a run's {@code track_stats}, {@code tracks}, {@code title_tracks},
 *       {@code track_neighbours} in primitive arrays ({@code load(store, factorsVersion)}; {@code missingSources()}
 *       for the server's status);</li>
 *   <li>{@link dev.segue.ranking.FactorAccess} — the caller's factors by {@code track_id}, not copied;</li>
 *   <li>{@link dev.segue.ranking.RankRequest}, {@link dev.segue.ranking.CandidateConfig},
 *       {@link dev.segue.ranking.CandidateGenerator} → {@link dev.segue.ranking.Candidates} (first stage);</li>
 *   <li>{@link dev.segue.ranking.RankFeatures} — the ordered feature list and the feature matrix;</li>
 *   <li>{@link dev.segue.ranking.RankerModel} (fit, thread-safe predict) and
 *       {@link dev.segue.ranking.RankerArtifacts} (save/load under {@code <store>/_artifacts/ranker/});</li>
 *   <li>{@link dev.segue.ranking.TwoStage} — candidates → features → ranker → top k, or the first stage alone;</li>
 *   <li>{@link dev.segue.ranking.ExampleBuilder} and {@link dev.segue.ranking.Examples} — training groups.</li>
 * </ul>
 */
package dev.segue.ranking;
