package dev.segue.store;

import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIO;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

/** Full check of a version: sizes and CRC32C of every file, then Arrow structure, schema and row counts of parts. */
final class Verifier {
    private Verifier() {
    }

    static VerifyResult verify(StoreRoot root, Manifest m) {
        StoreFileIO io = root.io();
        Location dir = StoreLayout.versionDir(root, m.featureSet(), m.version());
        List<String> problems = new ArrayList<>();
        long bytes = 0;
        int files = 0;
        List<FileEntry> all = new ArrayList<>(m.files());
        all.add(m.keyIndex());
        for (FileEntry f : all) {
            Location p = dir.resolve(f.path());
            files++;
            if (!checkBytes(io, p, f, problems)) {
                continue;
            }
            bytes += f.size();
            if (f == m.keyIndex()) {
                try {
                    KeyIndex.read(io, p, m.rowCount());
                } catch (IOException | RuntimeException e) {
                    problems.add(p + ": unreadable key index: " + e.getMessage());
                }
                continue;
            }
            try {
                PartSummary s = PartScanner.summarize(io, p, f.path(), m.schema());
                if (s.entry().rows() != f.rows()) {
                    problems.add(p + ": holds " + s.entry().rows() + " rows, manifest says " + f.rows());
                } else if (f.rows() > 0 && s.entry().batchRows() != f.batchRows() && f.rows() > f.batchRows()) {
                    problems.add(p + ": record batches of " + s.entry().batchRows() + " rows, manifest says " + f.batchRows());
                }
            } catch (StoreException e) {
                problems.add(e.getMessage());
            }
        }
        long sum = m.files().stream().mapToLong(FileEntry::rows).sum();
        if (sum != m.rowCount()) {
            problems.add(dir.resolve(StoreLayout.MANIFEST) + ": parts hold " + sum + " rows, rowCount says " + m.rowCount());
        }
        return new VerifyResult(m.featureSet(), m.version(), files, bytes, m.rowCount(), problems);
    }

    private static boolean checkBytes(StoreFileIO io, Location p, FileEntry f, List<String> problems) {
        try {
            long size = io.length(p);
            if (size != f.size()) {
                problems.add(p + ": " + (size < f.size() ? "truncated: " : "wrong size: ") + size
                        + " bytes on disk, manifest says " + f.size());
                return false;
            }
            String crc = Checksums.crc32c(io, p);
            if (!crc.equals(f.crc32c())) {
                problems.add(p + ": checksum mismatch: CRC32C " + crc + ", manifest says " + f.crc32c() + " (corrupt bytes)");
                return false;
            }
            return true;
        } catch (NoSuchFileException e) {
            problems.add(p + ": missing (listed in the manifest)");
            return false;
        } catch (IOException e) {
            problems.add(p + ": cannot be read: " + e.getMessage());
            return false;
        }
    }
}
