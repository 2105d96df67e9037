package dev.segue.serving.model;

import dev.segue.serving.index.BuildProgress;
import dev.segue.serving.index.Cancellation;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Holds the model being served and replaces it without downtime: a new version is loaded beside the
 * current one and swapped in with one atomic reference write. Requests read {@link #current()} once and
 * keep that model to the end, so in-flight requests finish on the old index, which is freed once the
 * last of them lets go. One reload at a time.
 */
public final class ModelManager {
    private final ModelLoader loader;
    private final AtomicReference<ServingModel> current = new AtomicReference<>();
    private final ReentrantLock reloadLock = new ReentrantLock();
    private final CopyOnWriteArrayList<Consumer<ServingModel>> listeners = new CopyOnWriteArrayList<>();
    private volatile String loadingVersion;

    public ModelManager(ModelLoader loader) {
        this.loader = loader;
    }

    /** The model being served, or null before the first load completed. */
    public ServingModel current() {
        return current.get();
    }

    /** The version being loaded right now, or null. */
    public String loadingVersion() {
        return loadingVersion;
    }

    public String source() {
        return loader.source();
    }

    /** Called with each newly swapped-in model. */
    public void onSwap(Consumer<ServingModel> listener) {
        listeners.add(listener);
    }

    /**
     * What a reload did.
     *
     * @param previous the version served before (null if none)
     * @param changed  false when the requested version was already being served
     */
    public record ReloadResult(String previous, ServingModel model, boolean changed) {}

    /**
     * Loads {@code version} (newest for null/empty) and swaps it in. If that version is already served
     * nothing is reloaded.
     *
     * @throws ReloadInProgressException another reload is running
     */
    public ReloadResult reload(String version, BuildProgress progress, Cancellation cancel) throws Exception {
        if (!reloadLock.tryLock()) {
            String running = loadingVersion;
            throw new ReloadInProgressException("a reload of version " + (running == null ? "(newest)" : running)
                    + " is already running; retry when it has finished");
        }
        try {
            // Named at once (the newest until resolved), so a concurrent caller is told which version is loading.
            loadingVersion = version == null || version.isEmpty() ? null : version;
            String resolved = loader.resolveVersion(version);
            ServingModel old = current.get();
            if (old != null && old.dataVersion().equals(resolved)) {
                return new ReloadResult(resolved, old, false);
            }
            loadingVersion = resolved;
            ServingModel model;
            for (int attempt = 1; ; attempt++) {
                try {
                    model = loader.load(resolved, progress, cancel);
                    break;
                } catch (Exception e) {
                    // lost a race (the version resolved as latest was replaced or removed while loading): retry with
                    // the newest complete version; a named version, or a failure on the newest, stays an error
                    String newest = requestedLatest(version) && attempt < MAX_LOAD_ATTEMPTS ? newestOrNull() : null;
                    if (newest == null || newest.equals(resolved)) {
                        throw e;
                    }
                    LOG.warn("loading {} failed ({}); the newest version is now {}: retrying with it", resolved,
                            e.getMessage(), newest);
                    resolved = newest;
                    loadingVersion = resolved;
                    if (old != null && old.dataVersion().equals(resolved)) {
                        return new ReloadResult(resolved, old, false);
                    }
                }
            }
            cancel.check();
            ServingModel previous = current.getAndSet(model);
            for (Consumer<ServingModel> l : listeners) {
                l.accept(model);
            }
            return new ReloadResult(previous == null ? null : previous.dataVersion(), model, true);
        } finally {
            loadingVersion = null;
            reloadLock.unlock();
        }
    }

    private static final int MAX_LOAD_ATTEMPTS = 3;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelManager.class);

    private static boolean requestedLatest(String version) {
        return version == null || version.isBlank() || version.trim().equals("latest");
    }

    private String newestOrNull() {
        try {
            return loader.resolveVersion(null);
        } catch (ModelLoader.VersionNotFoundException e) {
            return null;
        }
    }

    /** Another reload holds the lock. */
    public static final class ReloadInProgressException extends Exception {
        private static final long serialVersionUID = 1L;

        public ReloadInProgressException(String message) {
            super(message);
        }
    }
}
