package dev.segue.generator;

/** Appends CSV fields (RFC 4180 quoting when a field holds a comma, quote or line break). */
final class Csv {
    private Csv() {}

    static StringBuilder field(StringBuilder b, String value) {
        if (value == null) {
            return b;
        }
        boolean quote = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                quote = true;
                break;
            }
        }
        if (!quote) {
            return b.append(value);
        }
        b.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                b.append('"');
            }
            b.append(c);
        }
        return b.append('"');
    }
}
