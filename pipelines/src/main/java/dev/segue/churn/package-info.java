/**
 * Churn features from music-box listening logs (issue 7, study 003), computed once on any Beam runner and
 * versioned in the feature store.
 *
 * <h2>Pipeline ({@link dev.segue.churn.ChurnPipeline}, {@code segue pipeline churn})</h2>
 * <ol>
 *   <li>{@link dev.segue.churn.ListLogSplits}: every {@code *.csv} under {@code --logs}; the header says whether
 *       it is a play, download or search log ({@link dev.segue.churn.LogKind}); files are cut into line-aligned
 *       byte ranges read in parallel.</li>
 *   <li>{@link dev.segue.churn.ParseLogs}: lines become columnar {@link dev.segue.churn.EventBlock}s partitioned
 *       by user shard; malformed lines, unparsable numbers or dates, missing uid/date, values outside their
 *       physical bounds ({@link dev.segue.churn.Plausibility}: a song or play longer than a day, a date before
 *       2000 or after 2099 — checked before any statistic) and dates outside every window become
 *       {@link dev.segue.churn.DeadLetter}s ({@code REPORT/dead-letters.csv}, written by the parsing step itself
 *       so that they survive a failed run, counted as {@code deadletter.<reason>});
 *       {@code lines.read = events.P + events.D + events.S + dead letters}.</li>
 *   <li>{@link dev.segue.churn.GroupUserShards}: one sorted {@link dev.segue.churn.UserEvents} per shard.</li>
 *   <li>{@link dev.segue.churn.CleaningStatistics}: the exact thresholds of {@link dev.segue.churn.CleaningRules}
 *       per snapshot, from that snapshot's feature window only ({@code REPORT/cleaning.json}).</li>
 *   <li>{@link dev.segue.churn.ComputeChurnOutputs}: features ({@link dev.segue.churn.ChurnFeatures}), labels and
 *       ratings ({@link dev.segue.churn.ShardFeatures}); every cleaning rule's effect is a counter
 *       {@code clean.<rule>@<snapshot>}; all counters go to {@code REPORT/report.json}, which is written with
 *       {@code "status": "failed"} and the error when a run stops.</li>
 *   <li>{@code user_churn_features}, {@code user_churn_labels}, {@code user_song_ratings} through the store's
 *       Beam sink ({@link dev.segue.churn.ChurnSchemas}).</li>
 * </ol>
 *
 * <h2>Windows, snapshots and time stamps</h2>
 * Snapshot T has the feature window [T−F+1, T] and the label window [T+1, T+L] (defaults F = 30, L = 14). With
 * no {@code --snapshots}, one snapshot is taken so that its label window ends on the last <em>busy</em> log date
 * ({@link dev.segue.churn.DailyCounts}): the last date whose line count is at least 10% of the typical daily
 * count (the median over lines of their date's count). A few stray far-future lines therefore neither move the
 * window nor empty it; they (and any line after that label window) are dead letters {@code AFTER_LAST_WINDOW},
 * counted as {@code deadletter.after_last_window}, and {@code REPORT/cleaning.json} says under {@code plan} how
 * the end was chosen. With explicit {@code --snapshots}, a date in no window is {@code OUTSIDE_WINDOWS}. A feature
 * row is stamped with the instant its window closes (start of day T+1, UTC), so a point-in-time join at any
 * instant sees only complete windows; a label row is stamped with the close of its label window (when it became
 * known) and carries the feature window's stamp in {@code window_end}. Labels are written only for snapshots
 * whose label window ends on or before the last log date.
 *
 * <h2>Conventions for empty windows</h2>
 * A ratio with a zero denominator is 0; A1 shares and B3 are 0 for a user without plays; D1 is the feature
 * window length when the user has no event of that type; E1 is null when no event names a device.
 *
 * <h2>Users</h2>
 * uids are integers (study 003) and the entity key is INT64; a user enters a snapshot with at least one event in
 * its feature window, unless the bot rule drops them; users active only in the label window are ignored.
 *
 * <h2>Ratings for matrix factorisation</h2>
 * {@code user_song_ratings} holds one row per (uid, song_id) of the last snapshot's feature window (study 003
 * §6). {@link dev.segue.churn.RatingsMatrix} turns it into the user-side and item-side CSR arrays (dense indices
 * in ascending uid / song id, ratings as implicit strengths); {@link dev.segue.churn.RatingsAls} cuts both sides
 * into row blocks for the continuation pipeline's implicit ALS ({@link dev.segue.als.beam.ImplicitAls}) and
 * writes {@code user_factors} and {@code song_factors} ({@code segue train ratings},
 * {@code segue pipeline churn --ratings-factors D}).
 *
 * <h2>Training ({@code segue train churn})</h2>
 * {@link dev.segue.churn.ChurnTraining}: entity rows are the users × label dates known by {@code --as-of},
 * joined point-in-time to the features; logistic regression and a random forest (Tribuo) and gradient-boosted
 * trees ({@link dev.segue.churn.BoostedTrees}, XGBoost4J) on held-out users.
 */
package dev.segue.churn;
