package dev.segue.pipelines.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds Beam's {@code --name=value} argument list from a command's own options and the arguments it did not
 * recognise (runner options such as {@code --runner FlinkRunner --flinkMaster host:8081}, passed through).
 */
public final class BeamArgs {
    private final List<String> args = new ArrayList<>();

    /**
     * A command's own {@code --name=value} arguments, then the user's pass-through ones, with the DirectRunner
     * defaults of {@link #directRunnerDefaults()}.
     */
    public static String[] of(List<String> own, List<String> passThrough) {
        BeamArgs a = new BeamArgs();
        a.args.addAll(own);
        return a.passThrough(passThrough).directRunnerDefaults().toArray();
    }

    public BeamArgs set(String name, Object value) {
        if (value != null) {
            args.add("--" + name + "=" + value);
        }
        return this;
    }

    /**
     * Adds unrecognised arguments, joining {@code --name value} pairs into {@code --name=value}. A bare
     * {@code --flag} stays a flag (Beam reads it as true).
     */
    public BeamArgs passThrough(List<String> unmatched) {
        if (unmatched == null) {
            return this;
        }
        for (int i = 0; i < unmatched.size(); i++) {
            String a = unmatched.get(i);
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "' (runner options look like --name=value)");
            }
            if (!a.contains("=") && i + 1 < unmatched.size() && !unmatched.get(i + 1).startsWith("--")) {
                a = a + "=" + unmatched.get(++i);
            }
            args.add(a);
        }
        return this;
    }

    /** True when an argument sets {@code --name}. */
    public boolean has(String name) {
        String prefix = "--" + name;
        for (String a : args) {
            if (a.equals(prefix) || a.startsWith(prefix + "=")) {
                return true;
            }
        }
        return false;
    }

    /**
     * On the DirectRunner (the default), skip its per-element immutability and encodability checks unless the
     * user set them: they copy and encode every element, which real runs cannot afford.
     */
    public BeamArgs directRunnerDefaults() {
        String runner = "DirectRunner";
        for (String a : args) {
            if (a.startsWith("--runner=")) {
                runner = a.substring("--runner=".length());
            }
        }
        if (runner.toLowerCase(Locale.ROOT).endsWith("directrunner") || runner.equalsIgnoreCase("direct")) {
            if (!has("enforceImmutability")) {
                args.add("--enforceImmutability=false");
            }
            if (!has("enforceEncodability")) {
                args.add("--enforceEncodability=false");
            }
        }
        return this;
    }

    public String[] toArray() {
        return args.toArray(new String[0]);
    }
}
