/**
 * Audio features per track (issue 7, study 004).
 *
 * <p>{@link dev.segue.genre.GenrePipeline} ({@code segue pipeline genre --audio FILE --store DIR}) reads the
 * audio CSV ({@code Id,title,artist,year,bpm,nrgy,dnce,dB,live,val,dur,acous,spch,pop,top genre}), keeps each
 * {@code Id} once, and writes {@code track_genre_features} keyed by {@code track_uri} =
 * {@code spotify:track:<Id>} (the generator's {@code Id} is the catalog track id, so the set joins with
 * {@code tracks} and {@code track_factors}). Rows with a value outside its physical bounds
 * ({@link dev.segue.genre.AudioBounds}: a tempo of 0 or less, a percentage above 100, a song longer than a day …)
 * are {@code IMPLAUSIBLE} dead letters before any statistic; dead letters and {@code report.json} are written
 * also when a run stops. The set holds the raw numeric features, their z-scores ({@code z_*}) and min-max
 * scalings ({@code mm_*}) with the parameters in the manifest ({@link dev.segue.genre.Standardization}), the fine
 * {@code top_genre} and the {@code broad_genre} from the documented table in
 * {@link dev.segue.genre.GenreCondensation}; a missing label stays null in both.
 *
 * <p>{@link dev.segue.genre.GenreTraining} ({@code segue train genre}) checks that the features predict the
 * broad genre better than the majority class.
 */
package dev.segue.genre;
