package dev.segue.format;

/** The {@code info} object at the top of an MPD slice file. */
public record SliceInfo(String generatedOn, String slice, String version) {}
