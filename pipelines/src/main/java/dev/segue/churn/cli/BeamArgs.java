package dev.segue.churn.cli;

import java.util.ArrayList;
import java.util.List;

/** Beam pipeline arguments for the CLI: our options, then the user's pass-through ones, DirectRunner defaults. */
public final class BeamArgs {
    private BeamArgs() {}

    /**
     * {@code own} then {@code passThrough}; adds {@code --enforceImmutability=false} and
     * {@code --enforceEncodability=false} (the DirectRunner's checks cost more than the work on real data)
     * unless the user set them. Pass-through arguments must look like {@code --name=value} or {@code --flag}.
     */
    public static String[] of(List<String> own, List<String> passThrough) {
        List<String> args = new ArrayList<>(own);
        boolean immutability = false;
        boolean encodability = false;
        for (String a : passThrough) {
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "' (Beam options look like --name=value)");
            }
            immutability |= a.startsWith("--enforceImmutability");
            encodability |= a.startsWith("--enforceEncodability");
            args.add(a);
        }
        if (!immutability) {
            args.add("--enforceImmutability=false");
        }
        if (!encodability) {
            args.add("--enforceEncodability=false");
        }
        return args.toArray(new String[0]);
    }
}
