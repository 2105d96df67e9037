package dev.segue.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A weighted list of title phrases, parsed from {@code "phrase*weight;phrase;..."}. */
public record Phrases(String[] phrases, double[] weights) {

    public static Phrases parse(String spec) {
        List<String> names = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (String part : spec.split(";")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int star = p.lastIndexOf('*');
            if (star > 0) {
                names.add(p.substring(0, star).trim());
                weights.add(Double.parseDouble(p.substring(star + 1).trim()));
            } else {
                names.add(p);
                weights.add(1.0);
            }
        }
        double[] w = new double[weights.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = weights.get(i);
        }
        return new Phrases(names.toArray(new String[0]), w);
    }

    public String pick(SplittableRandom r) {
        return phrases[Draw.weighted(r, weights)];
    }

    public boolean isEmpty() {
        return phrases.length == 0;
    }
}
