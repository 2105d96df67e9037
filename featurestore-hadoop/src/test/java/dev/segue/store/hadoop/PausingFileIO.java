package dev.segue.store.hadoop;

import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIO;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Instant;
import java.util.List;

/**
 * A real file IO that stops a writer at one point of the commit: before the {@code n}-th manifest write it prints
 * {@code manifest-next} and waits forever, so the test can SIGKILL the process exactly between the parts and the
 * final write.
 */
public class PausingFileIO implements StoreFileIO {
    private final StoreFileIO io;
    private int manifestsLeft;

    public PausingFileIO(StoreFileIO io, int pauseAtManifest) {
        this.io = io;
        this.manifestsLeft = pauseAtManifest;
    }

    @Override
    public boolean writeWhole(Location file, byte[] bytes, boolean replace) throws IOException {
        if (file.name().equals("manifest.json") && --manifestsLeft == 0) {
            System.out.println("manifest-next " + file.parent().name());
            System.out.flush();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        return io.writeWhole(file, bytes, replace);
    }

    @Override public String scheme() { return io.scheme(); }
    @Override public boolean atomicFolderRename() { return io.atomicFolderRename(); }
    @Override public SeekableByteChannel openRead(Location file) throws IOException { return io.openRead(file); }
    @Override public long length(Location file) throws IOException { return io.length(file); }
    @Override public WritableByteChannel create(Location file) throws IOException { return io.create(file); }
    @Override public void touch(Location file) throws IOException { io.touch(file); }
    @Override public List<Entry> list(Location dir) throws IOException { return io.list(dir); }
    @Override public boolean exists(Location path) throws IOException { return io.exists(path); }
    @Override public boolean isDirectory(Location path) throws IOException { return io.isDirectory(path); }
    @Override public void mkdirs(Location dir) throws IOException { io.mkdirs(dir); }
    @Override public boolean delete(Location path) throws IOException { return io.delete(path); }
    @Override public void deleteTree(Location dir) throws IOException { io.deleteTree(dir); }
    @Override public boolean rename(Location from, Location to) throws IOException { return io.rename(from, to); }
    @Override public void syncFolder(Location dir) { io.syncFolder(dir); }
    @Override public Instant modified(Location path) throws IOException { return io.modified(path); }
}
