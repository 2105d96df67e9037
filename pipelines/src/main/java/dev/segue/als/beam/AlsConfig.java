package dev.segue.als.beam;

import dev.segue.als.WrmfParams;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of one implicit-ALS run.
 *
 * @param wrmf               the row-equation parameters (α, λ, CG steps, log scaling, ε)
 * @param factors            latent dimension d
 * @param iterations         full iterations (users then items), unrolled when the pipeline is built
 * @param seed               seed of the initial factors (each row's start depends only on seed, side and row)
 * @param initScale          standard deviation of the initial factors
 * @param exchange           how opposite factors reach the solvers
 * @param broadcastLimitBytes largest packed matrix {@link FactorExchange#AUTO} broadcasts inline; larger ones go
 *                           through factor files (with a {@code factorDirectory}) or are shuffled (without)
 * @param factorDirectory    where this run writes its factor files (a directory on any Beam filesystem, unique
 *                           to the run), or null for none
 * @param keepFactorVersions keep every half-iteration's factor file until the run ends instead of deleting a
 *                           side's previous version once the next is written: needed on runners that may
 *                           recompute a finished step from its inputs (Spark recomputes a partition it did not
 *                           cache, reading the factor file of that iteration again); costs one file per side and
 *                           iteration of disk under the run's directory
 */
public record AlsConfig(WrmfParams wrmf, int factors, int iterations, long seed, double initScale,
        FactorExchange exchange, long broadcastLimitBytes, String factorDirectory, boolean keepFactorVersions)
        implements Serializable {

    /** Default inline-broadcast limit: 1 GiB of packed factors (2M tracks at d=128, 4M at d=64). */
    public static final long DEFAULT_BROADCAST_LIMIT = 1L << 30;
    /** Most floats one packed matrix (inline or in a factor file) can hold: one Java array. */
    public static final long MAX_PACKED_FLOATS = Integer.MAX_VALUE - 8;

    /** A configuration without factor files (inline broadcast or shuffle only). */
    public AlsConfig(WrmfParams wrmf, int factors, int iterations, long seed, double initScale,
            FactorExchange exchange, long broadcastLimitBytes) {
        this(wrmf, factors, iterations, seed, initScale, exchange, broadcastLimitBytes, null);
    }

    /** A configuration whose factor files (if any) are deleted version by version (a runner that never recomputes). */
    public AlsConfig(WrmfParams wrmf, int factors, int iterations, long seed, double initScale,
            FactorExchange exchange, long broadcastLimitBytes, String factorDirectory) {
        this(wrmf, factors, iterations, seed, initScale, exchange, broadcastLimitBytes, factorDirectory, false);
    }

    public AlsConfig {
        if (factors < 1 || factors > 4096) {
            throw new IllegalArgumentException("factors must be in 1..4096, got " + factors);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
        }
        if (!(initScale > 0)) {
            throw new IllegalArgumentException("initial scale must be positive, got " + initScale);
        }
        if (broadcastLimitBytes < 0) {
            throw new IllegalArgumentException("broadcast limit must not be negative");
        }
        if (exchange == FactorExchange.FILES && (factorDirectory == null || factorDirectory.isBlank())) {
            throw new IllegalArgumentException("the FILES exchange needs a directory for factor files (--tempLocation)");
        }
    }

    /**
     * Whether the pipeline needs the shuffle path: always for SHUFFLE, and for AUTO only without a factor
     * directory (with one, sides above the inline limit go through factor files).
     */
    boolean buildsShuffle() {
        return exchange == FactorExchange.SHUFFLE || routesAtRunTime();
    }

    /** Whether blocks are routed between the broadcast and the shuffle path at run time (AUTO with both). */
    boolean routesAtRunTime() {
        return exchange == FactorExchange.AUTO && factorDirectory == null;
    }

    /** Manifest parameters of the factor feature sets (the fold-in parameters included). */
    public Map<String, String> toParameters() {
        Map<String, String> p = new LinkedHashMap<>(wrmf.toParameters());
        p.put("factors", Integer.toString(factors));
        p.put("iterations", Integer.toString(iterations));
        p.put("seed", Long.toString(seed));
        return p;
    }
}
