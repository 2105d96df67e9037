package dev.segue.store;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a commit needs to know about one written part: its file entry, per-column statistics and the key,
 * event-time and created-time columns (for the key index). Serializable: Beam computes these in parallel.
 */
public record PartSummary(FileEntry entry, Map<String, StatsAccumulator> stats, long[] keys, String[] stringKeys,
                          long[] ts, long[] created) implements Serializable {

    /** Collects summaries of batches as they are written to a part. */
    static final class Collector {
        private final FeatureSetSchema schema;
        private final Map<String, StatsAccumulator> stats = new LinkedHashMap<>();
        private final boolean stringKey;
        private long[] keys = new long[1024];
        private String[] stringKeys;
        private long[] ts;
        private long[] created;
        private int n;

        Collector(FeatureSetSchema schema) {
            this.schema = schema;
            for (ColumnSpec c : schema.columns()) {
                stats.put(c.name(), new StatsAccumulator(c));
            }
            stringKey = schema.keyColumn().type() == FeatureType.UTF8;
            if (stringKey) {
                stringKeys = new String[1024];
            }
            if (schema.eventTimestamp() != null) {
                ts = new long[1024];
            }
            if (schema.createdTimestamp() != null) {
                created = new long[1024];
            }
        }

        void add(Columnar b, int from, int to) {
            for (ColumnSpec c : schema.columns()) {
                stats.get(c.name()).add(b.column(c.name()), from, to);
            }
            int m = to - from;
            ensure(n + m);
            if (stringKey) {
                System.arraycopy(b.strings(schema.entityKey()), from, stringKeys, n, m);
            } else {
                for (int i = from; i < to; i++) {
                    keys[n + i - from] = b.keyAsLong(schema.entityKey(), i);
                }
            }
            if (ts != null) {
                System.arraycopy(b.timestamps(schema.eventTimestamp()), from, ts, n, m);
            }
            if (created != null) {
                System.arraycopy(b.timestamps(schema.createdTimestamp()), from, created, n, m);
            }
            n += m;
        }

        private void ensure(int cap) {
            int len = stringKey ? stringKeys.length : keys.length;
            if (cap <= len) {
                return;
            }
            int next = Math.max(cap, (int) Math.min(Integer.MAX_VALUE - 8, len * 2L));
            if (stringKey) {
                stringKeys = java.util.Arrays.copyOf(stringKeys, next);
            } else {
                keys = java.util.Arrays.copyOf(keys, next);
            }
            if (ts != null) ts = java.util.Arrays.copyOf(ts, next);
            if (created != null) created = java.util.Arrays.copyOf(created, next);
        }

        int rows() {
            return n;
        }

        PartSummary finish(FileEntry entry) {
            return new PartSummary(entry, stats,
                    stringKey ? null : java.util.Arrays.copyOf(keys, n),
                    stringKey ? java.util.Arrays.copyOf(stringKeys, n) : null,
                    ts == null ? null : java.util.Arrays.copyOf(ts, n),
                    created == null ? null : java.util.Arrays.copyOf(created, n));
        }
    }
}
