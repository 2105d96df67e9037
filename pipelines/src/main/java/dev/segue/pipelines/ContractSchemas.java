package dev.segue.pipelines;

import dev.segue.format.FeatureSetContracts;
import dev.segue.format.FeatureSetContracts.Column;
import dev.segue.format.FeatureSetContracts.Contract;
import dev.segue.store.FeatureSetSchema;
import dev.segue.store.FeatureType;

import java.util.Map;

/**
 * Turns a {@link FeatureSetContracts} entry (plain data in {@code proto}) into the store's
 * {@link FeatureSetSchema}, so a pipeline writes exactly the columns, types, null and range checks the
 * registry declares.
 */
public final class ContractSchemas {
    private ContractSchemas() {}

    /** The schema of a set without embeddings, or whose embeddings have a fixed width. */
    public static FeatureSetSchema schema(Contract contract) {
        return schema(contract, 0, Map.of());
    }

    /** The schema with {@code dim} as the width of the embeddings the registry leaves to the writing run. */
    public static FeatureSetSchema schema(Contract contract, int dim) {
        return schema(contract, dim, Map.of());
    }

    /**
     * As {@link #schema(Contract, int)}, with some columns' descriptions replaced (a description that names
     * something only the pipeline knows, such as a mapping's version).
     */
    public static FeatureSetSchema schema(Contract contract, int dim, Map<String, String> descriptions) {
        return builder(contract, dim, descriptions).build();
    }

    /**
     * The schema with, after the registry's columns, one FLOAT32 column per name in {@code floatColumns} (NaN
     * allowed): for sets whose value columns are a list the writing run records, such as {@code ranker_examples}'
     * features.
     */
    public static FeatureSetSchema schema(Contract contract, java.util.List<String> floatColumns, String description) {
        FeatureSetSchema.Builder b = builder(contract, 0, Map.of());
        for (String name : floatColumns) {
            if (contract.columns().stream().anyMatch(c -> c.name().equals(name))) {
                throw new IllegalArgumentException("feature set '" + contract.name() + "': column '" + name
                        + "' is already a registry column");
            }
            b.column(name, FeatureType.FLOAT32, description);
        }
        return b.build();
    }

    private static FeatureSetSchema.Builder builder(Contract contract, int dim, Map<String, String> descriptions) {
        for (String c : descriptions.keySet()) {
            contract.column(c);
        }
        FeatureSetSchema.Builder b = FeatureSetSchema.builder(contract.name());
        for (Column c : contract.columns()) {
            String description = descriptions.getOrDefault(c.name(), c.description());
            FeatureType type = FeatureType.valueOf(c.type().name());
            switch (c.role()) {
                case ENTITY_KEY -> b.entityKey(c.name(), type, description);
                case EVENT_TIMESTAMP -> b.eventTimestamp(c.name(), description);
                case VALUE -> {
                    if (c.categorical()) {
                        b.categorical(c.name(), description);
                    } else if (type == FeatureType.EMBEDDING) {
                        int width = c.dim() > 0 ? c.dim() : dim;
                        if (width <= 0) {
                            throw new IllegalArgumentException("feature set '" + contract.name() + "': embedding '"
                                    + c.name() + "' needs a positive width, got " + dim);
                        }
                        b.embedding(c.name(), width, description);
                    } else {
                        b.column(c.name(), type, description);
                    }
                    if (c.notNull()) {
                        b.notNull(c.name());
                    }
                    if (c.min() != null || c.max() != null) {
                        b.range(c.name(), c.min(), c.max());
                    }
                }
            }
        }
        return b;
    }
}
