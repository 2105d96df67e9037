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
 *   <li>{@link #AUTO}: broadcast inline when the packed matrix is at most the broadcast limit, through a
 *       factor file above it (when the run has a factor directory; else shuffle), and shuffle when it exceeds
 *       one Java array — decided at run time per side from the actual row count.</li>
 * </ul>
 * All exchanges feed the identical arithmetic, so they give bit-identical factors.
 */
public enum FactorExchange { AUTO, BROADCAST, FILES, SHUFFLE }
