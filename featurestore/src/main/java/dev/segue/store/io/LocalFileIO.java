package dev.segue.store.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The store on a local (POSIX) file system: versions commit by one atomic folder {@code rename(2)}, small files are
 * written to a temporary name, fsynced and renamed (or hard-linked, when the name must not exist yet), and every
 * file a writer closes is fsynced.
 */
public final class LocalFileIO implements StoreFileIO {
    public static final LocalFileIO INSTANCE = new LocalFileIO();

    private LocalFileIO() {
    }

    /** The local path of a location ({@code file:} URIs included). */
    public static Path path(Location l) {
        String s = l.toString();
        return s.startsWith("file:") ? Path.of(java.net.URI.create(s)) : Path.of(s);
    }

    /** The location of a local path (absolute, normalised). */
    public static Location location(Path p) {
        return Location.of(p.toAbsolutePath().normalize().toString());
    }

    @Override
    public String scheme() {
        return "file";
    }

    @Override
    public boolean atomicFolderRename() {
        return true;
    }

    @Override
    public SeekableByteChannel openRead(Location file) throws IOException {
        return FileChannel.open(path(file), StandardOpenOption.READ);
    }

    @Override
    public long length(Location file) throws IOException {
        return Files.size(path(file));
    }

    @Override
    public WritableByteChannel create(Location file) throws IOException {
        Path p = path(file);
        Path parent = p.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                return ch.write(src);
            }

            @Override
            public boolean isOpen() {
                return ch.isOpen();
            }

            @Override
            public void close() throws IOException {
                if (!ch.isOpen()) {
                    return;
                }
                try {
                    ch.force(true);
                } finally {
                    ch.close();
                }
            }
        };
    }

    @Override
    public void touch(Location file) throws IOException {
        Path p = path(file);
        Files.createDirectories(p.getParent());
        Files.createFile(p);
    }

    @Override
    public boolean writeWhole(Location file, byte[] bytes, boolean replace) throws IOException {
        Path target = path(file);
        Path tmp = target.resolveSibling(".tmp-" + target.getFileName() + "-" + ProcessHandle.current().pid() + "-"
                + UUID.randomUUID());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            if (replace) {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                tmp = null;
            } else {
                try {
                    Files.createLink(target, tmp); // atomic, and fails if the name exists
                } catch (FileAlreadyExistsException e) {
                    return false;
                }
            }
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
        syncFolder(Location.of(target.getParent().toString()));
        return true;
    }

    @Override
    public List<Entry> list(Location dir) throws IOException {
        Path d = path(dir);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class);
                } catch (java.nio.file.NoSuchFileException e) {
                    continue; // removed while listing
                }
                out.add(new Entry(p.getFileName().toString(), a.isDirectory(), a.size(), a.lastModifiedTime().toInstant()));
            }
        }
        return out;
    }

    @Override
    public boolean exists(Location path) {
        return Files.exists(path(path));
    }

    @Override
    public boolean isDirectory(Location path) {
        return Files.isDirectory(path(path));
    }

    @Override
    public void mkdirs(Location dir) throws IOException {
        Files.createDirectories(path(dir));
    }

    @Override
    public boolean delete(Location path) throws IOException {
        return Files.deleteIfExists(path(path));
    }

    @Override
    public void deleteTree(Location dir) throws IOException {
        Path d = path(dir);
        if (!Files.exists(d)) {
            return;
        }
        try (Stream<Path> s = Files.walk(d)) {
            List<Path> all = new ArrayList<>(s.toList());
            all.sort(Comparator.reverseOrder());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public boolean rename(Location from, Location to) throws IOException {
        Path target = path(to);
        try {
            Files.move(path(from), target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the store folder " + target.getParent() + " does not support atomic renames", e);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            return false;
        } catch (FileSystemException e) {
            if (Files.exists(target)) {
                return false; // rename(2) onto a non-empty folder fails: another writer took the name first
            }
            throw e;
        }
    }

    @Override
    public void syncFolder(Location dir) {
        try (FileChannel ch = FileChannel.open(path(dir), StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot open directories; the file fsyncs already happened
        }
    }

    @Override
    public Instant modified(Location path) throws IOException {
        return Files.getLastModifiedTime(path(path)).toInstant();
    }
}
