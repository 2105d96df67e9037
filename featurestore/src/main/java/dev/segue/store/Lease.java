package dev.segue.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** A file that tells gc a live process is reading a version: ROOT/NAME/_leases/VERSION/PID-UUID. */
final class Lease implements AutoCloseable {
    private final Path file;

    private Lease(Path file) {
        this.file = file;
    }

    static Lease acquire(Path root, String name, String version) {
        Path dir = root.resolve(name).resolve(StoreLayout.LEASES).resolve(version);
        Path file = dir.resolve(ProcessHandle.current().pid() + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(dir);
            Files.createFile(file);
            return new Lease(file);
        } catch (IOException e) {
            throw new StoreException("cannot take a read lease on '" + name + "' " + version + " (" + file + "): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a lease of a finished process is removed by gc
        }
    }
}
