package dev.segue.store.s3;

import dev.segue.store.io.Location;
import dev.segue.store.io.StoreFileIO;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayOutputStream;
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

/**
 * The store on Amazon S3 (or an S3-compatible server) through the AWS SDK v2. S3 has objects, not folders: a
 * "folder" is a key prefix that holds objects, so {@link #mkdirs} creates nothing and an empty folder does not
 * exist. Versions commit by marker ({@link #atomicFolderRename()} is false), and every create-if-absent — the claim
 * {@code _writer}, the manifest, snapshot records, a new part — is a conditional {@code PutObject} with
 * {@code If-None-Match: *}, which S3 applies atomically: of two writers racing for one key, exactly one gets 200 and
 * the other 412 Precondition Failed (409 ConditionalRequestConflict, a concurrent write of the same key still in
 * flight, is retried). A rename is a copy and a delete.
 */
final class S3FileIO implements StoreFileIO {
    /** Objects up to this size are written with one PUT; larger ones as a multipart upload of parts this size. */
    static final int PART_BYTES = 16 << 20;
    /** The smallest ranged GET a read channel makes (it keeps the bytes for the reads that follow). */
    static final int READ_BLOCK = 1 << 20;
    /** CopyObject's limit; larger objects are copied part by part. */
    private static final long COPY_LIMIT = 5L << 30;
    private static final int CONFLICT_RETRIES = 8;

    private final S3Client s3;
    private final String endpoint;

    S3FileIO(S3Client s3, String endpoint) {
        this.s3 = s3;
        this.endpoint = endpoint;
    }

    /** A location as bucket and key ({@code s3://bucket/a/b} → {@code bucket}, {@code a/b}; the bucket's root has key ""). */
    record Key(String bucket, String key) {
        static Key of(Location l) {
            String s = l.toString();
            if (!s.regionMatches(true, 0, "s3://", 0, 5)) {
                throw new IllegalArgumentException(s + " is not an s3:// location");
            }
            String rest = s.substring(5);
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String key = slash < 0 ? "" : rest.substring(slash + 1);
            while (key.endsWith("/")) {
                key = key.substring(0, key.length() - 1);
            }
            if (bucket.isEmpty()) {
                throw new IllegalArgumentException(s + " names no bucket (expected s3://bucket/path)");
            }
            return new Key(bucket, key);
        }

        /** The prefix of everything "in" this folder. */
        String prefix() {
            return key.isEmpty() ? "" : key + "/";
        }
    }

    /**
     * An SDK failure as the store's IO errors: a missing object is a {@link NoSuchFileException}; everything else one
     * line naming the location and S3's reason (missing bucket, access denied, the endpoint that cannot be reached).
     */
    IOException fail(Location where, SdkException e) {
        if (e instanceof S3Exception s) {
            String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
            if (s.statusCode() == 404 && "NoSuchBucket".equals(code)) {
                return new IOException(where + ": the bucket '" + Key.of(where).bucket() + "' does not exist at " + endpoint, e);
            }
            if (s.statusCode() == 404) {
                NoSuchFileException n = new NoSuchFileException(where.toString());
                n.initCause(e);
                return n;
            }
            if (s.statusCode() == 403) {
                return new IOException(where + ": access denied by " + endpoint + " (" + (code == null ? "403" : code) + ")", e);
            }
            return new IOException(where + ": " + (code == null ? "HTTP " + s.statusCode() : code + " (HTTP " + s.statusCode() + ")")
                    + " from " + endpoint + describe(s), e);
        }
        if (e instanceof SdkClientException) {
            return new IOException(where + ": cannot reach the S3 endpoint " + endpoint + " (" + firstLine(rootCause(e)) + ")", e);
        }
        return new IOException(where + ": " + firstLine(e), e);
    }

    private static String describe(S3Exception s) {
        String m = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorMessage();
        return m == null || m.isBlank() ? "" : ": " + firstLine(m);
    }

    static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return firstLine(m);
    }

    static String firstLine(String m) {
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        int more = m.indexOf(" (Service: S3");
        return more < 0 ? m.trim() : m.substring(0, more).trim();
    }

    private static boolean status(SdkException e, int status) {
        return e instanceof S3Exception s && s.statusCode() == status;
    }

    @Override
    public String scheme() {
        return "s3";
    }

    @Override
    public boolean atomicFolderRename() {
        return false;
    }

    private HeadObjectResponse head(Location file) throws IOException {
        Key k = Key.of(file);
        try {
            return s3.headObject(b -> b.bucket(k.bucket()).key(k.key()));
        } catch (SdkException e) {
            throw fail(file, e);
        }
    }

    /** The object's metadata, or null if there is no such object. */
    private HeadObjectResponse headIfExists(Location file) throws IOException {
        if (Key.of(file).key().isEmpty()) {
            return null;
        }
        try {
            return head(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public SeekableByteChannel openRead(Location file) throws IOException {
        return new ReadChannel(file, head(file).contentLength());
    }

    @Override
    public long length(Location file) throws IOException {
        return head(file).contentLength();
    }

    @Override
    public WritableByteChannel create(Location file) throws IOException {
        if (headIfExists(file) != null) {
            throw new FileAlreadyExistsException(file.toString());
        }
        return new UploadChannel(file);
    }

    @Override
    public void touch(Location file) throws IOException {
        if (!put(file, new byte[0], false)) {
            throw new FileAlreadyExistsException(file.toString());
        }
    }

    @Override
    public boolean writeWhole(Location file, byte[] bytes, boolean replace) throws IOException {
        return put(file, bytes, replace);
    }

    /**
     * One PUT; without {@code replace} conditional on the key being absent ({@code If-None-Match: *}). False if it
     * was not absent (412). A 409 (another conditional write of the key in flight) is retried after a pause: the
     * retry then gets 200 or 412.
     */
    private boolean put(Location file, byte[] bytes, boolean replace) throws IOException {
        Key k = Key.of(file);
        PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(k.bucket()).key(k.key());
        if (!replace) {
            // PutObjectRequest.ifNoneMatch arrived in SDK 2.27; this build keeps Beam's SDK, so the header is set directly
            req.overrideConfiguration(o -> o.putHeader("If-None-Match", "*"));
        }
        PutObjectRequest request = req.build();
        for (int attempt = 0; ; attempt++) {
            try {
                s3.putObject(request, RequestBody.fromBytes(bytes));
                return true;
            } catch (SdkException e) {
                if (!replace && status(e, 412)) {
                    return false;
                }
                if (status(e, 409) && attempt < CONFLICT_RETRIES) {
                    pause(attempt);
                    continue;
                }
                throw fail(file, e);
            }
        }
    }

    private static void pause(int attempt) throws IOException {
        try {
            Thread.sleep((long) ((20L << Math.min(attempt, 6)) * (0.5 + Math.random())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Every object under a prefix (no delimiter), page by page. */
    private List<S3Object> objectsUnder(Location dir) throws IOException {
        Key k = Key.of(dir);
        List<S3Object> out = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(ListObjectsV2Request.builder()
                    .bucket(k.bucket()).prefix(k.prefix()).build())) {
                out.addAll(page.contents());
            }
        } catch (SdkException e) {
            throw fail(dir, e);
        }
        return out;
    }

    @Override
    public List<Entry> list(Location dir) throws IOException {
        Key k = Key.of(dir);
        String prefix = k.prefix();
        List<Entry> out = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(ListObjectsV2Request.builder()
                    .bucket(k.bucket()).prefix(prefix).delimiter("/").build())) {
                for (S3Object o : page.contents()) {
                    String name = o.key().substring(prefix.length());
                    if (!name.isEmpty()) { // "dir/" markers other tools create
                        out.add(new Entry(name, false, o.size(), o.lastModified()));
                    }
                }
                for (CommonPrefix p : page.commonPrefixes()) {
                    String name = p.prefix().substring(prefix.length(), p.prefix().length() - 1);
                    if (!name.isEmpty()) {
                        // a prefix has no time of its own: its newest object's (gc ages staging folders by it)
                        Instant t = newestUnder(dir.resolve(name));
                        out.add(new Entry(name, true, 0, t == null ? Instant.now() : t)); // null: emptied meanwhile
                    }
                }
            }
        } catch (SdkException e) {
            throw fail(dir, e);
        }
        return out;
    }

    @Override
    public boolean exists(Location path) throws IOException {
        return headIfExists(path) != null || isDirectory(path);
    }

    @Override
    public boolean isDirectory(Location path) throws IOException {
        Key k = Key.of(path);
        try {
            return s3.listObjectsV2(b -> b.bucket(k.bucket()).prefix(k.prefix()).maxKeys(1)).keyCount() > 0;
        } catch (SdkException e) {
            throw fail(path, e);
        }
    }

    @Override
    public void mkdirs(Location dir) throws IOException {
        Key.of(dir); // no folders on S3: a prefix exists once an object is written under it
    }

    @Override
    public boolean delete(Location path) throws IOException {
        if (headIfExists(path) == null) {
            return false;
        }
        Key k = Key.of(path);
        try {
            s3.deleteObject(b -> b.bucket(k.bucket()).key(k.key()));
            return true;
        } catch (SdkException e) {
            throw fail(path, e);
        }
    }

    @Override
    public void deleteTree(Location dir) throws IOException {
        Key k = Key.of(dir);
        List<S3Object> all = objectsUnder(dir);
        for (int from = 0; from < all.size(); from += 1000) {
            List<ObjectIdentifier> batch = all.subList(from, Math.min(all.size(), from + 1000)).stream()
                    .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
            try {
                var r = s3.deleteObjects(b -> b.bucket(k.bucket()).delete(d -> d.objects(batch).quiet(true)));
                if (r.hasErrors() && !r.errors().isEmpty()) {
                    var first = r.errors().get(0);
                    throw new IOException(dir + ": cannot delete " + first.key() + " (" + first.code() + ": " + first.message() + ")");
                }
            } catch (SdkException e) {
                throw fail(dir, e);
            }
        }
        HeadObjectResponse self = headIfExists(dir);
        if (self != null) {
            delete(dir);
        }
    }

    /**
     * A copy, then a delete of the source: not atomic. The store only renames into names it owns (files into a
     * version folder it claimed; artifact folders, whose readers check sizes and checksums). False, copying
     * nothing, if the target exists (as a file or a non-empty folder).
     */
    @Override
    public boolean rename(Location from, Location to) throws IOException {
        if (exists(to)) {
            return false;
        }
        HeadObjectResponse file = headIfExists(from);
        if (file != null) {
            copy(from, to, file.contentLength());
            delete(from);
            return true;
        }
        List<S3Object> all = objectsUnder(from);
        if (all.isEmpty()) {
            throw new NoSuchFileException(from.toString());
        }
        String fromPrefix = Key.of(from).prefix();
        Key target = Key.of(to);
        for (S3Object o : all) {
            String rel = o.key().substring(fromPrefix.length());
            copy(Location.of("s3://" + Key.of(from).bucket() + "/" + o.key()), Location.of("s3://" + target.bucket() + "/" + target.prefix() + rel), o.size());
        }
        deleteTree(from);
        return true;
    }

    private void copy(Location from, Location to, long size) throws IOException {
        Key f = Key.of(from);
        Key t = Key.of(to);
        try {
            if (size <= COPY_LIMIT) {
                s3.copyObject(b -> b.sourceBucket(f.bucket()).sourceKey(f.key()).destinationBucket(t.bucket()).destinationKey(t.key()));
                return;
            }
            String upload = s3.createMultipartUpload(b -> b.bucket(t.bucket()).key(t.key())).uploadId();
            try {
                List<CompletedPart> parts = new ArrayList<>();
                long partBytes = 1L << 30;
                for (long off = 0; off < size; off += partBytes) {
                    int n = parts.size() + 1;
                    String range = "bytes=" + off + "-" + (Math.min(size, off + partBytes) - 1);
                    String etag = s3.uploadPartCopy(b -> b.sourceBucket(f.bucket()).sourceKey(f.key()).copySourceRange(range)
                            .destinationBucket(t.bucket()).destinationKey(t.key()).uploadId(upload).partNumber(n)).copyPartResult().eTag();
                    parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
                }
                s3.completeMultipartUpload(b -> b.bucket(t.bucket()).key(t.key()).uploadId(upload).multipartUpload(m -> m.parts(parts)));
            } catch (SdkException e) {
                abort(t, upload);
                throw e;
            }
        } catch (SdkException e) {
            throw fail(from, e);
        }
    }

    private void abort(Key k, String upload) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(k.bucket()).key(k.key()).uploadId(upload));
        } catch (SdkException ignored) {
            // the upload expires by the bucket's lifecycle rule, if any; its parts were never an object
        }
    }

    @Override
    public void syncFolder(Location dir) {
        // an object is durable when its PUT returns
    }

    @Override
    public Instant modified(Location path) throws IOException {
        HeadObjectResponse h = headIfExists(path);
        if (h != null) {
            return h.lastModified();
        }
        Instant newest = newestUnder(path);
        if (newest == null) {
            throw new NoSuchFileException(path.toString());
        }
        return newest;
    }

    /** When a folder last changed: its newest object's time (one listing of everything under it); null if empty. */
    private Instant newestUnder(Location dir) throws IOException {
        Instant newest = null;
        for (S3Object o : objectsUnder(dir)) {
            if (newest == null || o.lastModified().isAfter(newest)) {
                newest = o.lastModified();
            }
        }
        return newest;
    }

    /** Positioned reads by ranged GETs, keeping the last block for the small reads that follow (footers, index chunks). */
    private final class ReadChannel implements SeekableByteChannel {
        private final Location file;
        private final Key key;
        private final long size;
        private long position;
        private boolean open = true;
        private byte[] block = new byte[0];
        private long blockStart = -1;

        ReadChannel(Location file, long size) {
            this.file = file;
            this.key = Key.of(file);
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
            if (blockStart < 0 || position < blockStart || position >= blockStart + block.length) {
                if (want >= READ_BLOCK) { // a large read goes straight into the caller's buffer
                    byte[] b = get(position, want);
                    dst.put(b);
                    position += b.length;
                    return b.length;
                }
                int n = (int) Math.min(READ_BLOCK, size - position);
                block = get(position, n);
                blockStart = position;
            }
            int off = (int) (position - blockStart);
            int n = Math.min(want, block.length - off);
            dst.put(block, off, n);
            position += n;
            return n;
        }

        private byte[] get(long from, int n) throws IOException {
            String range = "bytes=" + from + "-" + (from + n - 1);
            try {
                ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> b.bucket(key.bucket()).key(key.key()).range(range));
                byte[] b = r.asByteArray();
                if (b.length != n) {
                    throw new IOException(file + ": asked for " + n + " bytes at " + from + ", got " + b.length + " (changed while read?)");
                }
                return b;
            } catch (SdkException e) {
                throw fail(file, e);
            }
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
        public void close() {
            open = false;
            block = new byte[0];
        }
    }

    /**
     * Sequential writes: up to {@link #PART_BYTES} buffered and written by one conditional PUT on close; beyond that a
     * multipart upload, whose object appears only when it completes on close (an abandoned upload never becomes an
     * object). Either way nothing is visible under the name before close() returns.
     */
    private final class UploadChannel implements WritableByteChannel {
        private final Location file;
        private final Key key;
        private ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 16);
        private String upload;
        private final List<CompletedPart> parts = new ArrayList<>();
        private boolean open = true;

        UploadChannel(Location file) {
            this.file = file;
            this.key = Key.of(file);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (!open) {
                throw new ClosedChannelException();
            }
            int n = src.remaining();
            while (src.hasRemaining()) {
                int k = Math.min(src.remaining(), PART_BYTES - buffer.size());
                if (src.hasArray()) {
                    buffer.write(src.array(), src.arrayOffset() + src.position(), k);
                    src.position(src.position() + k);
                } else {
                    byte[] b = new byte[k];
                    src.get(b);
                    buffer.write(b, 0, k);
                }
                if (buffer.size() == PART_BYTES) {
                    uploadPart();
                }
            }
            return n;
        }

        private void uploadPart() throws IOException {
            try {
                if (upload == null) {
                    CreateMultipartUploadResponse r = s3.createMultipartUpload(b -> b.bucket(key.bucket()).key(key.key()));
                    upload = r.uploadId();
                }
                int n = parts.size() + 1;
                String etag = s3.uploadPart(b -> b.bucket(key.bucket()).key(key.key()).uploadId(upload).partNumber(n),
                        RequestBody.fromBytes(buffer.toByteArray())).eTag();
                parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
                buffer = new ByteArrayOutputStream(PART_BYTES);
            } catch (SdkException e) {
                abortQuietly();
                throw fail(file, e);
            }
        }

        private void abortQuietly() {
            if (upload != null) {
                abort(key, upload);
                upload = null;
            }
            open = false;
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
            if (upload == null) {
                if (!put(file, buffer.toByteArray(), false)) {
                    throw new FileAlreadyExistsException(file.toString());
                }
                return;
            }
            if (buffer.size() > 0) {
                open = true;
                uploadPart();
                open = false;
            }
            try {
                s3.completeMultipartUpload(b -> b.bucket(key.bucket()).key(key.key()).uploadId(upload)
                        .multipartUpload(m -> m.parts(parts))
                        .overrideConfiguration(o -> o.putHeader("If-None-Match", "*")));
            } catch (SdkException e) {
                abort(key, upload);
                if (status(e, 412)) {
                    throw new FileAlreadyExistsException(file.toString());
                }
                throw fail(file, e);
            }
        }
    }
}
