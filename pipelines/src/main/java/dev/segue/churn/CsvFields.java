package dev.segue.churn;

/**
 * Splits one CSV line into fields (RFC 4180 quoting: {@code "a, b"} and {@code ""} inside quotes) without
 * allocating a string per field: callers ask for the text, a number or a date of field i. A line is one
 * physical line; a quoted field cannot span lines (such a line is reported as malformed). Hand-written
 * because it is the hot loop of the log pipeline and must recover line by line (a library parser loses its
 * state at the first bad quote).
 */
public final class CsvFields {
    private final int capacity;
    private final int[] start;
    private final int[] end;
    private final boolean[] escaped;
    private String line;
    private int count;
    private String error;

    public CsvFields(int capacity) {
        this.capacity = capacity;
        this.start = new int[capacity];
        this.end = new int[capacity];
        this.escaped = new boolean[capacity];
    }

    /**
     * Splits {@code text}; returns the number of fields, or -1 when the quoting is broken ({@link #error()}
     * says how). More fields than the capacity are counted but not kept.
     */
    public int split(String text) {
        line = text;
        count = 0;
        error = null;
        int len = text.length();
        int i = 0;
        while (true) {
            if (i < len && text.charAt(i) == '"') {
                int j = i + 1;
                boolean esc = false;
                while (true) {
                    int q = text.indexOf('"', j);
                    if (q < 0) {
                        error = "unterminated quoted field " + (count + 1);
                        return -1;
                    }
                    if (q + 1 < len && text.charAt(q + 1) == '"') {
                        esc = true;
                        j = q + 2;
                        continue;
                    }
                    keep(i + 1, q, esc);
                    i = q + 1;
                    break;
                }
                if (i == len) {
                    return count;
                }
                if (text.charAt(i) != ',') {
                    error = "text after the closing quote of field " + count;
                    return -1;
                }
                i++;
            } else {
                int comma = text.indexOf(',', i);
                int e = comma < 0 ? len : comma;
                keep(i, e, false);
                if (comma < 0) {
                    return count;
                }
                i = comma + 1;
            }
        }
    }

    private void keep(int s, int e, boolean esc) {
        if (count < capacity) {
            start[count] = s;
            end[count] = e;
            escaped[count] = esc;
        }
        count++;
    }

    public String error() {
        return error;
    }

    public int count() {
        return count;
    }

    /** The field's text, unquoted and trimmed. */
    public String text(int i) {
        String s = line.substring(start[i], end[i]);
        if (escaped[i]) {
            s = s.replace("\"\"", "\"");
        }
        return s.strip();
    }

    /** True for an empty field and for the spellings of a missing value: nan, null, NA, None. */
    public boolean isMissing(int i) {
        int s = start[i];
        int e = end[i];
        while (s < e && line.charAt(s) == ' ') {
            s++;
        }
        while (e > s && line.charAt(e - 1) == ' ') {
            e--;
        }
        int n = e - s;
        return n == 0
                || (n == 3 && line.regionMatches(true, s, "nan", 0, 3))
                || (n == 4 && (line.regionMatches(true, s, "null", 0, 4) || line.regionMatches(true, s, "none", 0, 4)))
                || (n == 2 && line.regionMatches(true, s, "na", 0, 2));
    }

    /**
     * A finite number, or NaN when the field is missing. Throws NumberFormatException for anything else
     * (including infinities). Plain integers are parsed without allocating.
     */
    public double number(int i) {
        if (isMissing(i)) {
            return Double.NaN;
        }
        int s = start[i];
        int e = end[i];
        while (s < e && line.charAt(s) == ' ') {
            s++;
        }
        while (e > s && line.charAt(e - 1) == ' ') {
            e--;
        }
        boolean neg = false;
        int p = s;
        if (p < e && (line.charAt(p) == '-' || line.charAt(p) == '+')) {
            neg = line.charAt(p) == '-';
            p++;
        }
        if (p < e && e - p <= 15) {
            long v = 0;
            int q = p;
            while (q < e) {
                char c = line.charAt(q);
                if (c < '0' || c > '9') {
                    break;
                }
                v = v * 10 + (c - '0');
                q++;
            }
            if (q == e) {
                return neg ? -v : v;
            }
        }
        String t = line.substring(s, e);
        for (int k = 0; k < t.length(); k++) {
            char c = t.charAt(k);
            if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                throw new NumberFormatException("not a number: '" + t + "'");
            }
        }
        double d = Double.parseDouble(t);
        if (!Double.isFinite(d)) {
            throw new NumberFormatException("not a finite number: '" + t + "'");
        }
        return d;
    }

    /** The raw characters of field i (for dates), trimmed. */
    public CharSequence chars(int i) {
        int s = start[i];
        int e = end[i];
        while (s < e && line.charAt(s) == ' ') {
            s++;
        }
        while (e > s && line.charAt(e - 1) == ' ') {
            e--;
        }
        return line.subSequence(s, e);
    }

    /** Quotes a value for CSV output when it needs it. */
    public static String quote(String v) {
        if (v == null) {
            return "";
        }
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}
