package dev.segue.generator;

import java.util.concurrent.ExecutorService;

/** The model of a generated world, rebuilt identically from its {@link WorldSpec} (the oracle relies on it). */
public final class World {
    private final WorldSpec spec;
    private final RandomStreams streams;
    private final Catalog catalog;
    private final ThemeModel model;

    private World(WorldSpec spec, RandomStreams streams, Catalog catalog, ThemeModel model) {
        this.spec = spec;
        this.streams = streams;
        this.catalog = catalog;
        this.model = model;
    }

    public static World build(WorldSpec spec, ExecutorService pool) {
        RandomStreams streams = new RandomStreams(spec.seed());
        Catalog catalog = CatalogBuilder.build(Taxonomy.standard(), CatalogPlan.forPlaylists(spec.playlists()),
                streams, pool);
        return new World(spec, streams, catalog, new ThemeModel(catalog, pool));
    }

    public WorldSpec spec() {
        return spec;
    }

    public RandomStreams streams() {
        return streams;
    }

    public Catalog catalog() {
        return catalog;
    }

    public ThemeModel model() {
        return model;
    }

    public Taxonomy taxonomy() {
        return catalog.taxonomy();
    }
}
