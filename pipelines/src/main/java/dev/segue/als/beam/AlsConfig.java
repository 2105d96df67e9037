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
 * @param broadcastLimitBytes packed-matrix size above which {@link FactorExchange#AUTO} shuffles
 */
public record AlsConfig(WrmfParams wrmf, int factors, int iterations, long seed, double initScale,
        FactorExchange exchange, long broadcastLimitBytes) implements Serializable {

    /** Default broadcast limit: 1 GiB of packed factors (2M tracks at d=128, 4M at d=64). */
    public static final long DEFAULT_BROADCAST_LIMIT = 1L << 30;

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
