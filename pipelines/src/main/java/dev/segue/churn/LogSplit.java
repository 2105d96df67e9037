package dev.segue.churn;

import java.io.Serializable;

/**
 * A byte range of one log file that starts and ends on line boundaries, with the 1-based number of its first
 * line (so dead letters can name file:line) and the file's layout from its header.
 */
public record LogSplit(String file, LogLayout layout, long start, long end, long firstLine) implements Serializable {}
