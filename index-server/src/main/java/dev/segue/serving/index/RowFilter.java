package dev.segue.serving.index;

/** Which rows a search may return; a primitive predicate so scanning does not box. */
@FunctionalInterface
public interface RowFilter {
    RowFilter ALL = row -> true;

    boolean accept(int row);
}
