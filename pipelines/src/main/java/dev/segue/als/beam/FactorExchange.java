package dev.segue.als.beam;

/**
 * How the opposite side's factors reach the row solvers in each half-iteration.
 * <ul>
 *   <li>{@link #BROADCAST}: packed into one {@code float[rows*dim]} singleton side input (fast, needs the
 *       whole matrix in each worker's memory);</li>
 *   <li>{@link #SHUFFLE}: each row block receives, through a CoGroupByKey, exactly the opposite rows its
 *       ratings reference (scales past worker memory, costs a shuffle per half-iteration);</li>
 *   <li>{@link #AUTO}: broadcast when the packed matrix is at most the broadcast limit, shuffle above it,
 *       decided at run time per side from the actual row count.</li>
 * </ul>
 * Both exchanges feed the identical arithmetic, so they give bit-identical factors.
 */
public enum FactorExchange { AUTO, BROADCAST, SHUFFLE }
