package dev.segue.store;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Declared schema of a feature set: its name, entity key, optional event timestamp (needed for point-in-time
 * joins), optional created timestamp (breaks ties between rows with the same key and event time) and the
 * columns in storage order (the key and timestamp columns included).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeatureSetSchema(String name, String entityKey, String eventTimestamp, String createdTimestamp,
                               List<ColumnSpec> columns) implements java.io.Serializable {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    public FeatureSetSchema {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("feature set name must match " + NAME.pattern() + ", got '" + name + "'");
        }
        columns = List.copyOf(columns);
        Map<String, ColumnSpec> byName = new LinkedHashMap<>();
        for (ColumnSpec c : columns) {
            if (byName.put(c.name(), c) != null) {
                throw new IllegalArgumentException("feature set '" + name + "': duplicate column '" + c.name() + "'");
            }
        }
        ColumnSpec key = byName.get(entityKey);
        if (key == null) {
            throw new IllegalArgumentException("feature set '" + name + "': entity key column '" + entityKey + "' is not declared");
        }
        if (!key.type().isKeyType() || key.nullable()) {
            throw new IllegalArgumentException("feature set '" + name + "': entity key '" + entityKey
                    + "' must be a non-null int32, int64 or utf8 column");
        }
        for (String ts : new String[]{eventTimestamp, createdTimestamp}) {
            if (ts == null) {
                continue;
            }
            ColumnSpec c = byName.get(ts);
            if (c == null || c.type() != FeatureType.TIMESTAMP || c.nullable()) {
                throw new IllegalArgumentException("feature set '" + name + "': timestamp column '" + ts
                        + "' must be a declared non-null timestamp column");
            }
        }
        if (createdTimestamp != null && eventTimestamp == null) {
            throw new IllegalArgumentException("feature set '" + name + "': a created timestamp needs an event timestamp");
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The declared column, or an exception naming the feature set and the unknown column. */
    public ColumnSpec column(String column) {
        for (ColumnSpec c : columns) {
            if (c.name().equals(column)) {
                return c;
            }
        }
        throw new StoreException("feature set '" + name + "' has no column '" + column + "' (columns: " + columnNames() + ")");
    }

    public boolean hasColumn(String column) {
        return columns.stream().anyMatch(c -> c.name().equals(column));
    }

    @JsonIgnore
    public List<String> columnNames() {
        return columns.stream().map(ColumnSpec::name).toList();
    }

    @JsonIgnore
    public ColumnSpec keyColumn() {
        return column(entityKey);
    }

    public static final class Builder {
        private final String name;
        private final List<ColumnSpec> columns = new ArrayList<>();
        private String entityKey;
        private String eventTimestamp;
        private String createdTimestamp;

        private Builder(String name) {
            this.name = name;
        }

        public Builder entityKey(String column, FeatureType type) {
            return entityKey(column, type, "entity key");
        }

        public Builder entityKey(String column, FeatureType type, String description) {
            entityKey = column;
            columns.add(new ColumnSpec(column, type, description, 0, false, false, null, null));
            return this;
        }

        /** Declares the event-time column (timestamp, micros UTC, non-null) used by point-in-time joins. */
        public Builder eventTimestamp(String column) {
            return eventTimestamp(column, "event time");
        }

        public Builder eventTimestamp(String column, String description) {
            eventTimestamp = column;
            columns.add(new ColumnSpec(column, FeatureType.TIMESTAMP, description, 0, false, false, null, null));
            return this;
        }

        /** Declares a created-time column: among rows with equal key and event time the latest created wins. */
        public Builder createdTimestamp(String column, String description) {
            createdTimestamp = column;
            columns.add(new ColumnSpec(column, FeatureType.TIMESTAMP, description, 0, false, false, null, null));
            return this;
        }

        public Builder column(String column, FeatureType type, String description) {
            if (type == FeatureType.EMBEDDING) {
                throw new IllegalArgumentException("column '" + column + "': declare embeddings with embedding(name, dim, description)");
            }
            columns.add(new ColumnSpec(column, type, description, 0, false, true, null, null));
            return this;
        }

        /** A utf8 column stored dictionary-encoded; statistics report its top values. */
        public Builder categorical(String column, String description) {
            columns.add(new ColumnSpec(column, FeatureType.UTF8, description, 0, true, true, null, null));
            return this;
        }

        public Builder embedding(String column, int dim, String description) {
            columns.add(new ColumnSpec(column, FeatureType.EMBEDDING, description, dim, false, true, null, null));
            return this;
        }

        /** Rejects writes with a null in any of these columns. */
        public Builder notNull(String... names) {
            for (String n : names) {
                replace(n, find(n).withNullable(false));
            }
            return this;
        }

        /** Rejects writes with a value outside [min, max] (NaN is outside every range); either bound may be null. */
        public Builder range(String column, Double min, Double max) {
            replace(column, find(column).withRange(min, max));
            return this;
        }

        private ColumnSpec find(String n) {
            return columns.stream().filter(c -> c.name().equals(n)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no column '" + n + "' declared before this check"));
        }

        private void replace(String n, ColumnSpec spec) {
            columns.replaceAll(c -> c.name().equals(n) ? spec : c);
        }

        public FeatureSetSchema build() {
            if (entityKey == null) {
                throw new IllegalArgumentException("feature set '" + name + "': entityKey(...) is required");
            }
            return new FeatureSetSchema(name, entityKey, eventTimestamp, createdTimestamp, columns);
        }
    }
}
