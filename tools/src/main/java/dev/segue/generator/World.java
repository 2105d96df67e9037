package dev.segue.generator;

import java.util.concurrent.ExecutorService;

/** The model of a generated world, rebuilt identically from its {@link WorldSpec} (the oracle relies on it). */
public final class World {
    private final WorldSpec spec;
    private final RandomStreams streams;
    private final Catalog catalog;
    private final ThemeModel model;
    private final ArtistWalk walk;

    private World(WorldSpec spec, RandomStreams streams, Catalog catalog, ThemeModel model, ArtistWalk walk) {
        this.spec = spec;
        this.streams = streams;
        this.catalog = catalog;
        this.model = model;
        this.walk = walk;
    }

    public static World build(WorldSpec spec, ExecutorService pool) {
        RandomStreams streams = new RandomStreams(spec.seed());
        Catalog catalog = CatalogBuilder.build(Taxonomy.standard(), CatalogPlan.forPlaylists(spec.playlists()),
                streams, pool);
        ThemeModel model = new ThemeModel(catalog, pool);
        return new World(spec, streams, catalog, model,
                spec.shape() == WorldShape.DRIFT ? new ArtistWalk(model, streams) : null);
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

    /** The related-artist walk of a {@link WorldShape#DRIFT} world, null for a theme world. */
    public ArtistWalk walk() {
        return walk;
    }

    public Taxonomy taxonomy() {
        return catalog.taxonomy();
    }
}
