package dev.segue.store.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Plain left-aligned text table for human-readable CLI output. */
final class TextTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... header) {
        this.header = List.of(header);
    }

    TextTable row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(c == null ? "" : c.toString());
        }
        rows.add(r);
        return this;
    }

    void print(PrintWriter out) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        line(out, header, w);
        StringBuilder sep = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            sep.append("-".repeat(w[i])).append(i + 1 < w.length ? "  " : "");
        }
        out.println(sep);
        for (List<String> r : rows) {
            line(out, r, w);
        }
        out.flush();
    }

    private static void line(PrintWriter out, List<String> cells, int[] w) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            String c = cells.get(i);
            sb.append(c);
            if (i + 1 < w.length) {
                sb.append(" ".repeat(w[i] - c.length() + 2));
            }
        }
        out.println(sb.toString().stripTrailing());
    }
}
