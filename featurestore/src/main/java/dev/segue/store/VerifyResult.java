package dev.segue.store;

import java.util.List;

/** Outcome of a full verification of one version; {@code problems} name the file and what is wrong. */
public record VerifyResult(String featureSet, String version, int filesChecked, long bytesChecked, long rows,
                           List<String> problems) {
    public boolean ok() {
        return problems.isEmpty();
    }
}
