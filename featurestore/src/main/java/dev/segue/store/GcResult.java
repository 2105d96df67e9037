package dev.segue.store;

import java.util.List;

/** What gc did: versions removed, versions kept only because a live reader holds them, dead writers cleaned. */
public record GcResult(String featureSet, List<String> removed, List<String> keptLeased, List<String> kept,
                       int stagingRemoved, long bytesFreed) {
}
