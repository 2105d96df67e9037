package dev.segue.als.beam;

/**
 * How the opposite side's factors reach the row solvers in each half-iteration.
 * <ul>
 *   <li>{@link #BROADCAST}: packed into one {@code float[rows*dim]} singleton side input (fast, needs the
 *       whole matrix in each worker's memory);</li>
 *   <li>{@link #FILES}: the same packed matrix written to a factor file in the run's directory under
 *       {@code --tempLocation} (any Beam filesystem the workers share); the side input is only the file's
 *       location and each worker reads the matrix once. For matrices too large to keep one per half-iteration
 *       in runner state (the DirectRunner keeps every side input until the pipeline ends);</li>
 *   <li>{@link #SHUFFLE}: each row block receives, through a CoGroupByKey, exactly the opposite rows its
 *       ratings reference (scales past worker memory, costs a shuffle per half-iteration);</li>
 *   <li>{@link #AUTO}: broadcast inline when the packed matrix is at most the broadcast limit, else through a
 *       factor file — decided at run time per side from the actual row count. Only without a factor directory
 *       does AUTO also build the shuffle path (used above the limit); with one (the continuation pipeline
 *       always has one) the pipeline holds no shuffle transforms at all, which on the DirectRunner saves
 *       scheduler work in every half-iteration, and a side beyond one Java array (2³¹ floats: 33M rows at
 *       d = 64) fails with a message that names {@link #SHUFFLE}.</li>
 * </ul>
 * All exchanges feed the identical arithmetic, so they give bit-identical factors.
 */
public enum FactorExchange { AUTO, BROADCAST, FILES, SHUFFLE }
