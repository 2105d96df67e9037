package dev.segue.serving.index;

import com.github.jelmerk.hnswlib.core.hnsw.HnswIndex;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Copies the link structure out of an hnswlib-java 1.2.1 {@link HnswIndex} into a {@link FrozenGraph}.
 * hnswlib-java builds the graph; searching it through the library would box every distance into a
 * {@code Float}, allocate a node object per candidate and lock every visited node, so the serving path walks
 * a frozen primitive copy instead. The library has no public accessor for its links, hence reflection on
 * its (version-pinned) private fields; a mismatch fails loudly, and a test checks the copy answers like the
 * library does.
 */
final class GraphExtractor {
    private GraphExtractor() {}

    /** {@code vectors}: the rows' raw factor rows (rows × dim); the graph was built on their reduction with M = maxNorm. */
    static FrozenGraph freeze(HnswIndex<Integer, float[], MipsItem, Float> graph, int rows, float[] vectors, int dim,
                              float maxNorm) {
        try {
            Object entry = field(HnswIndex.class, "entryPoint").get(graph);
            @SuppressWarnings("unchecked")
            AtomicReferenceArray<Object> nodes =
                    (AtomicReferenceArray<Object>) field(HnswIndex.class, "nodes").get(graph);
            int nodeCount = field(HnswIndex.class, "nodeCount").getInt(graph);
            int maxM = field(HnswIndex.class, "maxM").getInt(graph);
            int maxM0 = field(HnswIndex.class, "maxM0").getInt(graph);
            if (nodeCount != rows) {
                throw new IllegalStateException("graph holds " + nodeCount + " nodes, expected " + rows);
            }
            Class<?> nodeClass = Class.forName(HnswIndex.class.getName() + "$Node");
            Field idField = field(nodeClass, "id");
            Field connectionsField = field(nodeClass, "connections");
            Field itemField = field(nodeClass, "item");
            // Node ids are insertion order; rows are the item ids. Map every link to rows.
            int[] rowOfNode = new int[nodeCount];
            Object[][] connections = new Object[nodeCount][];
            for (int i = 0; i < nodeCount; i++) {
                Object node = nodes.get(i);
                if (node == null || idField.getInt(node) != i) {
                    throw new IllegalStateException("graph node " + i + " is missing");
                }
                rowOfNode[i] = ((MipsItem) itemField.get(node)).id();
                connections[i] = (Object[]) connectionsField.get(node);
            }
            Method toArray = null;
            GraphBuilder b = new GraphBuilder(rows, maxM, maxM0);
            for (int i = 0; i < nodeCount; i++) {
                int row = rowOfNode[i];
                Object[] levels = connections[i];
                b.level(row, levels.length - 1);
                for (int level = 0; level < levels.length; level++) {
                    if (toArray == null) {
                        toArray = levels[level].getClass().getMethod("toArray");
                        toArray.setAccessible(true);
                    }
                    int[] links = (int[]) toArray.invoke(levels[level]);
                    for (int j = 0; j < links.length; j++) {
                        links[j] = rowOfNode[links[j]];
                    }
                    b.links(row, level, links);
                }
            }
            int entryRow = rowOfNode[idField.getInt(entry)];
            return b.build(entryRow, vectors, dim, maxNorm);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read the graph built by hnswlib-java (is hnswlib-core 1.2.1 "
                    + "on the classpath?): " + e, e);
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
