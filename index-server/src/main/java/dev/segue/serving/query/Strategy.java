package dev.segue.serving.query;

/** Which evidence produced a continuation. */
public enum Strategy {
    SEEDS, TITLE, SEEDS_AND_TITLE, POPULARITY_FALLBACK
}
