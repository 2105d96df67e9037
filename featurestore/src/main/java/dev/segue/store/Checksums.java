package dev.segue.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIO;
import java.util.zip.CRC32C;

/** CRC32C of files, and a write channel that checksums and counts what passes through it. */
final class Checksums {
    private Checksums() {
    }

    static String hex(long crc) {
        return String.format("%08x", crc);
    }

    static String crc32c(java.nio.file.Path file) throws IOException {
        return crc32c(dev.segue.store.io.LocalFileIO.INSTANCE, dev.segue.store.io.LocalFileIO.location(file));
    }

    static String crc32c(StoreFileIO io, Location file) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (SeekableByteChannel ch = io.openRead(file)) {
            while (ch.read(buf) >= 0) {
                buf.flip();
                crc.update(buf);
                buf.clear();
            }
        }
        return hex(crc.getValue());
    }

    /**
     * Checks a file against its manifest entry: size, then CRC32C.
     *
     * @throws CorruptionException naming the file with the expected (manifest) and actual values
     */
    static void verify(StoreFileIO io, Location file, FileEntry entry) {
        String crc;
        try {
            long size = io.length(file);
            if (size != entry.size()) {
                throw new CorruptionException(file + ": " + (size < entry.size() ? "truncated" : "wrong size")
                        + ": expected " + entry.size() + " bytes (manifest), actual " + size);
            }
            crc = crc32c(io, file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CorruptionException(file + ": missing (listed in the manifest)");
        } catch (IOException e) {
            throw new CorruptionException(file + ": cannot be read: " + e.getMessage(), e);
        }
        if (!crc.equals(entry.crc32c())) {
            throw new CorruptionException(file + ": checksum mismatch: expected CRC32C " + entry.crc32c()
                    + " (manifest), actual " + crc + "; the file is corrupt");
        }
    }

    /** Forwards writes to a channel, updating a CRC32C and a byte count. */
    static final class CountingChannel implements WritableByteChannel {
        private final WritableByteChannel out;
        private final CRC32C crc = new CRC32C();
        private long bytes;

        CountingChannel(WritableByteChannel out) {
            this.out = out;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            ByteBuffer view = src.duplicate();
            int n = 0;
            while (src.hasRemaining()) {
                n += out.write(src);
            }
            crc.update(view);
            bytes += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return out.isOpen();
        }

        @Override
        public void close() {
            // the owner forces and closes the file channel
        }

        String crcHex() {
            return hex(crc.getValue());
        }

        long bytes() {
            return bytes;
        }
    }
}
