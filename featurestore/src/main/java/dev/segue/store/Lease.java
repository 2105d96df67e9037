package dev.segue.store;

import dev.segue.store.io.Location;

import java.io.IOException;
import java.util.UUID;

/** A file that tells gc a live process is reading a version: ROOT/NAME/_leases/VERSION/PID-UUID. */
final class Lease implements AutoCloseable {
    private final StoreRoot root;
    private final Location file;

    private Lease(StoreRoot root, Location file) {
        this.root = root;
        this.file = file;
    }

    static Lease acquire(StoreRoot root, String name, String version) {
        Location file = root.at(name, StoreLayout.LEASES, version, ProcessHandle.current().pid() + "-" + UUID.randomUUID());
        try {
            root.io().touch(file);
            return new Lease(root, file);
        } catch (IOException e) {
            throw new StoreException("cannot take a read lease on '" + name + "' " + version + " (" + file + "): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            root.io().delete(file);
        } catch (IOException ignored) {
            // a lease of a finished process is removed by gc
        }
    }
}
