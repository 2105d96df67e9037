package dev.segue.genre;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Condenses a fine Spotify "top genre" label into one of ten broad genres, in the spirit of study 004's
 * replacement table ("grouping 8 types of rock music into one category"). A label is normalised (lower case,
 * '-' and '_' as spaces, spaces collapsed), looked up in {@link #EXACT} (labels whose words would otherwise
 * mislead: "dance pop" is pop, "tropical house" is dance), then matched against {@link #RULES} in order —
 * the first rule with a keyword that occurs as whole words in the label wins — then, for compounds such as
 * "k-pop" spelled "kpop", a word ending in "pop" means pop; otherwise the label is {@link #OTHER}. A missing
 * label stays missing (null).
 *
 * <table>
 * <caption>Broad genres and their keywords (rules in this order)</caption>
 * <tr><th>broad</th><th>keywords</th></tr>
 * <tr><td>worship</td><td>christian, worship, ccm, gospel</td></tr>
 * <tr><td>latin</td><td>latin, reggaeton, bachata, tropical, salsa, cumbia, banda</td></tr>
 * <tr><td>hip hop</td><td>hip hop, rap, trap, g funk, drill, grime</td></tr>
 * <tr><td>country</td><td>country, bluegrass, americana</td></tr>
 * <tr><td>r&amp;b</td><td>r&amp;b, soul, motown, quiet storm, urban contemporary, funk</td></tr>
 * <tr><td>adult standards</td><td>adult standards, easy listening, vocal jazz, lounge, brill building,
 *     doo wop, jazz, big band, crooner, swing</td></tr>
 * <tr><td>dance</td><td>dance, house, edm, techno, trance, disco, electro, big room, hi nrg, eurodance,
 *     electronic, dubstep</td></tr>
 * <tr><td>indie folk</td><td>folk, indie, mellow, singer songwriter, stomp and holler, chamber, acoustic</td></tr>
 * <tr><td>rock</td><td>rock, punk, grunge, metal, british invasion, permanent wave, new wave, britpop</td></tr>
 * <tr><td>pop</td><td>pop, boy band, girl group, disney, idol</td></tr>
 * </table>
 */
public final class GenreCondensation {
    public static final String OTHER = "other";
    public static final String VERSION = "v1";

    /** Broad genres in rule order, then {@link #OTHER}. */
    public static final List<String> BROAD = List.of("worship", "latin", "hip hop", "country", "r&b",
            "adult standards", "dance", "indie folk", "rock", "pop", OTHER);

    /** Labels decided before the keyword rules. */
    public static final Map<String, String> EXACT = exact();

    /** Keyword rules in order; keywords are whole words of the normalised label. */
    public static final Map<String, List<String>> RULES = rules();

    private GenreCondensation() {}

    private static Map<String, String> exact() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("dance pop", "pop");
        m.put("electropop", "pop");
        m.put("art pop", "pop");
        m.put("new wave pop", "pop");
        m.put("dance rock", "rock");
        m.put("pop punk", "rock");
        m.put("tropical house", "dance");
        m.put("indie pop", "indie folk");
        m.put("chamber pop", "indie folk");
        m.put("folk pop", "indie folk");
        m.put("pop rap", "hip hop");
        m.put("hip pop", "hip hop");
        m.put("latin hip hop", "latin");
        m.put("country pop", "country");
        m.put("country rock", "country");
        m.put("modern country rock", "country");
        m.put("christian rock", "worship");
        m.put("christian pop", "worship");
        m.put("brill building pop", "adult standards");
        m.put("disco house", "dance");
        m.put("bubblegum dance", "dance");
        m.put("europop", "pop");
        m.put("afropop", "pop");
        m.put("synthpop", "pop");
        m.put("britpop", "rock");
        return Map.copyOf(m);
    }

    private static Map<String, List<String>> rules() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("worship", List.of("christian", "worship", "ccm", "gospel"));
        m.put("latin", List.of("latin", "reggaeton", "bachata", "tropical", "salsa", "cumbia", "banda"));
        m.put("hip hop", List.of("hip hop", "rap", "trap", "g funk", "drill", "grime"));
        m.put("country", List.of("country", "bluegrass", "americana"));
        m.put("r&b", List.of("r&b", "soul", "motown", "quiet storm", "urban contemporary", "funk"));
        m.put("adult standards", List.of("adult standards", "easy listening", "vocal jazz", "lounge",
                "brill building", "doo wop", "jazz", "big band", "crooner", "swing"));
        m.put("dance", List.of("dance", "house", "edm", "techno", "trance", "disco", "electro", "big room",
                "hi nrg", "eurodance", "electronic", "dubstep"));
        m.put("indie folk", List.of("folk", "indie", "mellow", "singer songwriter", "stomp and holler", "chamber",
                "acoustic"));
        m.put("rock", List.of("rock", "punk", "grunge", "metal", "british invasion", "permanent wave", "new wave",
                "britpop"));
        m.put("pop", List.of("pop", "boy band", "girl group", "disney", "idol"));
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Lower case, '-' and '_' as spaces, single spaces, trimmed; null for a blank label. */
    public static String normalise(String label) {
        if (label == null) {
            return null;
        }
        String s = label.toLowerCase(Locale.ROOT).replace('-', ' ').replace('_', ' ').strip().replaceAll("\\s+", " ");
        return s.isEmpty() ? null : s;
    }

    /** The broad genre of a fine label; null when the label is missing. */
    public static String broad(String fineLabel) {
        String s = normalise(fineLabel);
        if (s == null) {
            return null;
        }
        String exact = EXACT.get(s);
        if (exact != null) {
            return exact;
        }
        String padded = " " + s + " ";
        for (Map.Entry<String, List<String>> rule : RULES.entrySet()) {
            for (String kw : rule.getValue()) {
                if (padded.contains(" " + kw + " ")) {
                    return rule.getKey();
                }
            }
        }
        for (String word : s.split(" ")) {
            if (word.endsWith("pop")) {
                return "pop";
            }
        }
        return OTHER;
    }
}
