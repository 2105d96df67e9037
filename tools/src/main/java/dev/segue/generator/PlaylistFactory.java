package dev.segue.generator;

import java.util.SplittableRandom;

/**
 * Makes playlist {@code pid} from its own random stream: length, theme, tracks, title and metadata
 * (in a drifting world the tracks come from {@link ArtistWalk} and the title is weak; followers heavy-tailed with most at 1-3, edits growing with length, last modification skewed towards
 * the end of MPD's 2010-2017 window, about 2% collaborative).
 */
public final class PlaylistFactory {
    static final long WINDOW_START = 1262304000L; // 2010-01-01
    static final long WINDOW_END = 1509408000L;   // 2017-10-31
    private static final long DAY = 86400L;

    private final RandomStreams streams;
    private final ThemeSampler themes;
    private final PlaylistSampler sampler;
    private final TitleMaker titles;
    private final ArtistWalk walk;

    /** Playlists of a theme world. */
    public PlaylistFactory(ThemeModel model, RandomStreams streams) {
        this(model, streams, null);
    }

    /** Playlists of {@code world}, in its shape. */
    public PlaylistFactory(World world) {
        this(world.model(), world.streams(), world.walk());
    }

    private PlaylistFactory(ThemeModel model, RandomStreams streams, ArtistWalk walk) {
        this.streams = streams;
        this.themes = new ThemeSampler(model);
        this.sampler = new PlaylistSampler(model);
        this.titles = new TitleMaker(model.catalog());
        this.walk = walk;
    }

    public GeneratedPlaylist create(long pid) {
        return create(pid, LengthModel.MIN, LengthModel.MAX);
    }

    /** Playlist {@code pid} with a length in {@code [minLength, maxLength]}. */
    public GeneratedPlaylist create(long pid, int minLength, int maxLength) {
        SplittableRandom r = streams.stream(RandomStreams.Kind.PLAYLIST, pid);
        int length = LengthModel.draw(r, minLength, maxLength);
        Theme theme = themes.playlist(r, length);
        int[] tracks;
        int[] walked = null;
        if (walk == null) {
            tracks = sampler.sample(theme, length, r);
        } else {
            ArtistWalk.Walked w = walk.sample(theme, length, r);
            tracks = w.tracks();
            walked = w.artists();
        }
        SplittableRandom t = streams.stream(RandomStreams.Kind.TITLE, pid);
        String name = walk == null ? titles.title(theme, t) : titles.weakTitle(theme, t);
        String description = titles.description(theme, t);
        int followers = (int) Math.min(100_000, Math.floor(Math.pow(1 - r.nextDouble(), -1 / 1.6)));
        int edits = 1 + Draw.poisson(r, Math.pow(length, 0.7) * Draw.lognormal(r, 1, 0.5));
        long days = (long) Math.min((WINDOW_END - WINDOW_START) / DAY, Draw.exponential(r, 330));
        long modified = WINDOW_END - days * DAY;
        boolean collaborative = r.nextDouble() < 0.023;
        return new GeneratedPlaylist(pid, theme, tracks, name, description, collaborative, modified, followers, edits,
                walked);
    }
}
