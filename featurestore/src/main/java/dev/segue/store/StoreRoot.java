package dev.segue.store;

import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIO;

/** A store's root location and the file IO that reaches it. */
record StoreRoot(StoreFileIO io, Location location) {
    /** The location of {@code names} below the root, joined with {@code /}. */
    Location at(String... names) {
        Location l = location;
        for (String n : names) {
            l = l.resolve(n);
        }
        return l;
    }

    @Override
    public String toString() {
        return location.toString();
    }
}
