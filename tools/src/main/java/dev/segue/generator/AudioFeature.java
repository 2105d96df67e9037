package dev.segue.generator;

/**
 * The audio features of study 004's layout that the generator draws per genre, with the centre and scale
 * used to standardise them when an occasion weighs a track.
 */
public enum AudioFeature {
    YEAR("year", 1995, 15, 1950, 2017),
    BPM("bpm", 118, 22, 60, 206),
    NRGY("nrgy", 60, 20, 3, 100),
    DNCE("dnce", 60, 14, 10, 98),
    DB("dB", -8, 3.5, -27, -1),
    LIVE("live", 18, 12, 2, 97),
    VAL("val", 55, 22, 4, 99),
    ACOUS("acous", 30, 25, 0, 99),
    SPCH("spch", 8, 8, 2, 60),
    DUR("dur", 225, 50, 90, 600);

    private final String column;
    private final double centre;
    private final double scale;
    private final double min;
    private final double max;

    AudioFeature(String column, double centre, double scale, double min, double max) {
        this.column = column;
        this.centre = centre;
        this.scale = scale;
        this.min = min;
        this.max = max;
    }

    public String column() {
        return column;
    }

    public double standardise(double value) {
        return (value - centre) / scale;
    }

    public double clamp(double value) {
        return Draw.clamp(value, min, max);
    }

    public static AudioFeature byColumn(String name) {
        for (AudioFeature f : values()) {
            if (f.column.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown audio feature '" + name + "'");
    }
}
