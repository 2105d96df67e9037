package dev.segue.store.hadoop;

import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIO;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * The store on a Hadoop file system ({@code hdfs://}, and {@code s3a://} when hadoop-aws is on the class path).
 * Versions commit by marker ({@link #atomicFolderRename()} is false): the protocol that object stores need is the
 * one used on HDFS too, so the tested path is the deployed one. Small whole files are written to a temporary name
 * and renamed on HDFS (a file being written is visible there), and written directly on object stores (an object
 * appears only when its upload completes).
 */
final class HadoopFileIO implements StoreFileIO {
    /** Schemes whose files appear whole on close, and whose renames are copies. */
    private static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "gs", "abfs", "abfss", "wasb", "wasbs", "oss", "cos");

    private final FileSystem fs;
    private final FileContext fc;
    private final String scheme;
    private final boolean objectStore;

    HadoopFileIO(FileSystem fs, FileContext fc) {
        this.fs = fs;
        this.fc = fc;
        this.scheme = fs.getScheme().toLowerCase(Locale.ROOT);
        this.objectStore = OBJECT_STORES.contains(scheme);
    }

    FileSystem fileSystem() {
        return fs;
    }

    private static Path path(Location l) {
        return new Path(l.toString());
    }

    /** A Hadoop exception with its message cut to the first line (remote exceptions carry the server's trace). */
    static IOException clean(Location where, IOException e) {
        if (e instanceof FileNotFoundException) {
            NoSuchFileException n = new NoSuchFileException(where.toString());
            n.initCause(e);
            return n;
        }
        if (e instanceof org.apache.hadoop.fs.FileAlreadyExistsException) {
            FileAlreadyExistsException x = new FileAlreadyExistsException(where.toString());
            x.initCause(e);
            return x;
        }
        return new IOException(where + ": " + firstLine(e), e);
    }

    static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        int more = m.indexOf("; For more details see");
        return more < 0 ? m : m.substring(0, more);
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public boolean atomicFolderRename() {
        return false;
    }

    @Override
    public SeekableByteChannel openRead(Location file) throws IOException {
        try {
            long length = fs.getFileStatus(path(file)).getLen();
            return new ReadChannel(fs.open(path(file)), length);
        } catch (IOException e) {
            throw clean(file, e);
        }
    }

    @Override
    public long length(Location file) throws IOException {
        try {
            return fs.getFileStatus(path(file)).getLen();
        } catch (IOException e) {
            throw clean(file, e);
        }
    }

    @Override
    public WritableByteChannel create(Location file) throws IOException {
        try {
            return new WriteChannel(fs.create(path(file), false));
        } catch (IOException e) {
            throw clean(file, e);
        }
    }

    @Override
    public void touch(Location file) throws IOException {
        try {
            fs.create(path(file), false).close();
        } catch (IOException e) {
            throw clean(file, e);
        }
    }

    @Override
    public boolean writeWhole(Location file, byte[] bytes, boolean replace) throws IOException {
        Path target = path(file);
        try {
            if (objectStore) { // the object appears whole when the upload completes
                if (!replace && fs.exists(target)) {
                    return false;
                }
                try (FSDataOutputStream out = fs.create(target, replace)) {
                    out.write(bytes);
                }
                return true;
            }
            Path tmp = new Path(target.getParent(), ".tmp-" + target.getName() + "-" + ProcessHandle.current().pid()
                    + "-" + UUID.randomUUID());
            try (WriteChannel out = new WriteChannel(fs.create(tmp, false))) {
                out.write(ByteBuffer.wrap(bytes));
            }
            try {
                if (replace) {
                    fc.rename(tmp, target, Options.Rename.OVERWRITE);
                } else {
                    fc.rename(tmp, target); // atomic on HDFS, and fails if the name exists
                }
                return true;
            } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
                return false;
            } finally {
                fs.delete(tmp, false);
            }
        } catch (IOException e) {
            throw clean(file, e);
        }
    }

    @Override
    public List<Entry> list(Location dir) throws IOException {
        FileStatus[] all;
        try {
            all = fs.listStatus(path(dir));
        } catch (FileNotFoundException e) {
            return List.of();
        } catch (IOException e) {
            throw clean(dir, e);
        }
        List<Entry> out = new ArrayList<>(all.length);
        for (FileStatus s : all) {
            out.add(new Entry(s.getPath().getName(), s.isDirectory(), s.getLen(), Instant.ofEpochMilli(s.getModificationTime())));
        }
        return out;
    }

    @Override
    public boolean exists(Location path) throws IOException {
        try {
            return fs.exists(path(path));
        } catch (IOException e) {
            throw clean(path, e);
        }
    }

    @Override
    public boolean isDirectory(Location path) throws IOException {
        try {
            return fs.getFileStatus(path(path)).isDirectory();
        } catch (FileNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw clean(path, e);
        }
    }

    @Override
    public void mkdirs(Location dir) throws IOException {
        try {
            if (!fs.mkdirs(path(dir))) {
                throw new IOException(dir + ": cannot create the folder");
            }
        } catch (IOException e) {
            throw clean(dir, e);
        }
    }

    @Override
    public boolean delete(Location path) throws IOException {
        try {
            return fs.delete(path(path), false);
        } catch (IOException e) {
            throw clean(path, e);
        }
    }

    @Override
    public void deleteTree(Location dir) throws IOException {
        try {
            fs.delete(path(dir), true);
        } catch (IOException e) {
            throw clean(dir, e);
        }
    }

    @Override
    public boolean rename(Location from, Location to) throws IOException {
        try {
            // FileContext, not FileSystem.rename: the latter moves a folder INTO an existing target folder
            fc.rename(path(from), path(to));
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw clean(from, e);
        }
    }

    @Override
    public void syncFolder(Location dir) {
        // the namenode logs every namespace change before it answers
    }

    @Override
    public Instant modified(Location path) throws IOException {
        try {
            return Instant.ofEpochMilli(fs.getFileStatus(path(path)).getModificationTime());
        } catch (IOException e) {
            throw clean(path, e);
        }
    }

    /** Positioned reads over an HDFS input stream, as Arrow's file reader wants. */
    private static final class ReadChannel implements SeekableByteChannel {
        private final FSDataInputStream in;
        private final long size;
        private long position;
        private boolean open = true;
        private byte[] scratch = new byte[0];

        ReadChannel(FSDataInputStream in, long size) {
            this.in = in;
            this.size = size;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (!open) {
                throw new ClosedChannelException();
            }
            if (position >= size) {
                return -1;
            }
            int want = (int) Math.min(dst.remaining(), size - position);
            if (want == 0) {
                return 0;
            }
            if (in.getPos() != position) {
                in.seek(position);
            }
            int n;
            if (dst.hasArray()) {
                n = in.read(dst.array(), dst.arrayOffset() + dst.position(), want);
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
            } else {
                if (scratch.length < Math.min(want, 1 << 20)) {
                    scratch = new byte[Math.min(want, 1 << 20)];
                }
                n = in.read(scratch, 0, Math.min(want, scratch.length));
                if (n > 0) {
                    dst.put(scratch, 0, n);
                }
            }
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            position = newPosition;
            return this;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public SeekableByteChannel truncate(long s) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() throws IOException {
            if (open) {
                open = false;
                in.close();
            }
        }
    }

    /** Sequential writes; close() hsyncs (the datanodes have the bytes on disk) before closing. */
    private static final class WriteChannel implements WritableByteChannel {
        private final FSDataOutputStream out;
        private boolean open = true;
        private byte[] scratch = new byte[0];

        WriteChannel(FSDataOutputStream out) {
            this.out = out;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = src.remaining();
            if (src.hasArray()) {
                out.write(src.array(), src.arrayOffset() + src.position(), n);
                src.position(src.position() + n);
                return n;
            }
            while (src.hasRemaining()) {
                int k = Math.min(src.remaining(), 1 << 20);
                if (scratch.length < k) {
                    scratch = new byte[k];
                }
                src.get(scratch, 0, k);
                out.write(scratch, 0, k);
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() throws IOException {
            if (!open) {
                return;
            }
            open = false;
            try {
                if (out.hasCapability(StreamCapabilities.HSYNC)) {
                    out.hsync();
                }
            } finally {
                out.close();
            }
        }
    }
}
