package dev.segue.genre;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * z-score ({@code (x − mean) / std}) and min-max ({@code (x − min) / (max − min)}) parameters per numeric
 * column; a constant column (std 0, max = min) maps to 0. Stored in the manifest as {@code mean.COL},
 * {@code std.COL}, {@code min.COL}, {@code max.COL} so any reader can standardise new rows identically.
 */
public record Standardization(String[] columns, double[] mean, double[] std, double[] min, double[] max, long rows)
        implements Serializable {

    public double z(int c, double x) {
        return std[c] == 0 ? 0 : (x - mean[c]) / std[c];
    }

    public double minMax(int c, double x) {
        return max[c] == min[c] ? 0 : (x - min[c]) / (max[c] - min[c]);
    }

    public Map<String, String> toParameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("standardised_rows", Long.toString(rows));
        for (int c = 0; c < columns.length; c++) {
            p.put("mean." + columns[c], Double.toString(mean[c]));
            p.put("std." + columns[c], Double.toString(std[c]));
            p.put("min." + columns[c], Double.toString(min[c]));
            p.put("max." + columns[c], Double.toString(max[c]));
        }
        return p;
    }

    public static Standardization fromParameters(Map<String, String> p) {
        String[] cols = AudioLayout.NUMERIC.toArray(new String[0]);
        int w = cols.length;
        double[] mean = new double[w];
        double[] std = new double[w];
        double[] min = new double[w];
        double[] max = new double[w];
        for (int c = 0; c < w; c++) {
            mean[c] = Double.parseDouble(need(p, "mean." + cols[c]));
            std[c] = Double.parseDouble(need(p, "std." + cols[c]));
            min[c] = Double.parseDouble(need(p, "min." + cols[c]));
            max[c] = Double.parseDouble(need(p, "max." + cols[c]));
        }
        return new Standardization(cols, mean, std, min, max, Long.parseLong(need(p, "standardised_rows")));
    }

    private static String need(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null) {
            throw new IllegalArgumentException("standardisation parameter '" + key + "' is missing");
        }
        return v;
    }
}
