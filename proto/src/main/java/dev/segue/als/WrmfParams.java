package dev.segue.als;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The parameters of the WRMF row equation {@code (YᵀY + Yᵤᵀ(Cᵤ − I)Yᵤ + λI) xᵤ = Yᵤᵀ Cᵤ pᵤ}: confidence
 * {@code c = 1 + α·r}, where the raw count {@code r} is optionally log-scaled to {@code log(1 + r/ε)}.
 * Training writes them into the {@code track_factors} manifest and serving reads them back, so both solve
 * the identical equation.
 *
 * @param alpha          confidence scale α (&gt; 0)
 * @param regularization λ (&gt; 0), added to the diagonal as is (not scaled by the row's count)
 * @param cgSteps        conjugate-gradient steps per row solve during training (&gt; 0)
 * @param logScaling     whether {@code r} becomes {@code log(1 + r/ε)}
 * @param epsilon        ε of the log scaling (&gt; 0)
 */
public record WrmfParams(double alpha, double regularization, int cgSteps, boolean logScaling, double epsilon)
        implements java.io.Serializable {
    public static final String ALPHA = "alpha";
    public static final String REGULARIZATION = "regularization";
    public static final String CG_STEPS = "cg_steps";
    public static final String LOG_SCALING = "log_scaling";
    public static final String EPSILON = "epsilon";

    public WrmfParams {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be a positive number, got " + alpha);
        }
        if (!(regularization > 0) || Double.isInfinite(regularization)) {
            throw new IllegalArgumentException("regularization must be a positive number, got " + regularization);
        }
        if (cgSteps < 1) {
            throw new IllegalArgumentException("cg_steps must be at least 1, got " + cgSteps);
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be a positive number, got " + epsilon);
        }
    }

    /** Confidence {@code c} of an observed entry with raw count {@code r} (≥ 1 for any r &gt; 0). */
    public double confidence(double r) {
        double v = logScaling ? Math.log1p(r / epsilon) : r;
        return 1.0 + alpha * v;
    }

    /** The manifest parameters ({@code alpha, regularization, cg_steps, log_scaling, epsilon}). */
    public Map<String, String> toParameters() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(ALPHA, Double.toString(alpha));
        out.put(REGULARIZATION, Double.toString(regularization));
        out.put(CG_STEPS, Integer.toString(cgSteps));
        out.put(LOG_SCALING, Boolean.toString(logScaling));
        out.put(EPSILON, Double.toString(epsilon));
        return out;
    }

    /** Reads the parameters written by {@link #toParameters()}; a missing or bad value names the key. */
    public static WrmfParams fromParameters(Map<String, String> parameters) {
        return new WrmfParams(
                number(parameters, ALPHA),
                number(parameters, REGULARIZATION),
                (int) number(parameters, CG_STEPS),
                bool(parameters, LOG_SCALING),
                number(parameters, EPSILON));
    }

    private static double number(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null) {
            throw new IllegalArgumentException("manifest parameter \"" + key + "\" is missing");
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("manifest parameter \"" + key + "\" is not a number: \"" + v + "\"");
        }
    }

    private static boolean bool(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null) {
            throw new IllegalArgumentException("manifest parameter \"" + key + "\" is missing");
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return s.equals("true");
        }
        throw new IllegalArgumentException("manifest parameter \"" + key + "\" is not true/false: \"" + v + "\"");
    }
}
