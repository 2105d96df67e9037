package dev.segue.serving.index;

import com.github.jelmerk.hnswlib.core.Item;

/** One track in the graph: its row id and its MIPS-reduced unit vector (length d+1). */
record MipsItem(Integer id, float[] vector) implements Item<Integer, float[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public int dimensions() {
        return vector.length;
    }
}
