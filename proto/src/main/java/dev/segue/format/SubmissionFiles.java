package dev.segue.format;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The RecSys Challenge 2018 submission CSV: a first non-comment line {@code team_info,<team>,<email>},
 * then one line per playlist {@code pid, track_uri × 500}. Blank lines and lines starting with {@code #}
 * are comments.
 */
public final class SubmissionFiles {
    private SubmissionFiles() {}

    /** Writes a submission atomically. */
    public static final class Writer implements AutoCloseable {
        private final AtomicFile file;
        private final java.io.Writer out;

        private Writer(Path target, String team, String email) throws IOException {
            this.file = AtomicFile.create(target);
            this.out = new OutputStreamWriter(file.stream(), StandardCharsets.UTF_8);
            out.write("team_info," + team + "," + email + "\n");
        }

        public void write(long pid, List<String> trackUris) throws IOException {
            StringBuilder line = new StringBuilder(32 + trackUris.size() * 40);
            line.append(pid);
            for (String uri : trackUris) {
                line.append(", ").append(uri);
            }
            line.append('\n');
            out.write(line.toString());
        }

        public void commit() throws IOException {
            out.flush();
            file.commit();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    public static Writer write(Path target, String team, String email) throws IOException {
        return new Writer(target, team, email);
    }

    /** Reads a submission line by line. {@link #teamInfo()} is available after the first {@link #next()}. */
    public static final class Reader implements Closeable {
        private final Path file;
        private final BufferedReader in;
        private long lineNo;
        private List<String> teamInfo;

        private Reader(Path file) throws IOException {
            this.file = file;
            this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        }

        /** The fields of the team_info line, or {@code null} if the file has none (yet). */
        public List<String> teamInfo() {
            return teamInfo;
        }

        /**
         * The next playlist line, or {@code null} at the end.
         *
         * @throws FormatException a line whose pid is not a number, or a missing team_info line
         */
        public Submission next() throws IOException {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String trimmed = line.trim();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                List<String> fields = split(trimmed);
                if (teamInfo == null) {
                    if (!fields.get(0).equals("team_info")) {
                        throw new FormatException(file, lineNo, 0,
                                "the first line must be 'team_info,<team name>,<contact email>'");
                    }
                    teamInfo = fields.subList(1, fields.size());
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(fields.get(0));
                } catch (NumberFormatException e) {
                    throw new FormatException(file, lineNo, 1, "pid is not a number: '" + fields.get(0) + "'");
                }
                return new Submission(lineNo, pid, fields.subList(1, fields.size()));
            }
            if (teamInfo == null) {
                throw new FormatException(file, lineNo, 0, "no team_info line (empty submission)");
            }
            return null;
        }

        private static List<String> split(String line) {
            List<String> out = new ArrayList<>();
            for (String field : line.split(",", -1)) {
                out.add(field.trim());
            }
            return out;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    public static Reader read(Path file) throws IOException {
        return new Reader(file);
    }
}
