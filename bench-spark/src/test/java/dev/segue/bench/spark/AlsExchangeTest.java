package dev.segue.bench.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exchange files round-trip exactly and a foreign file is refused with its name (the Spark run itself is tested by tools' AlsBenchTest). */
class AlsExchangeTest {
    @TempDir
    Path tmp;

    @Test
    void inputAndOutputRoundTrip() throws IOException {
        AlsExchange.Input in = new AlsExchange.Input(3, 4, new int[] {0, 1, 2}, new int[] {3, 0, 1},
                new float[] {1f, 2f, 0.5f}, 8, 15, 20.0, 0.25, 2, 42L);
        Path f = tmp.resolve("in.bin");
        AlsExchange.writeInput(f, in);
        AlsExchange.Input back = AlsExchange.readInput(f);
        assertEquals(in.users(), back.users());
        assertEquals(in.items(), back.items());
        assertArrayEquals(in.rows(), back.rows());
        assertArrayEquals(in.cols(), back.cols());
        assertArrayEquals(in.counts(), back.counts());
        assertEquals(in.rank(), back.rank());
        assertEquals(in.iterations(), back.iterations());
        assertEquals(in.alpha(), back.alpha());
        assertEquals(in.lambda(), back.lambda());
        assertEquals(in.threads(), back.threads());
        assertEquals(in.seed(), back.seed());

        AlsExchange.Output out = new AlsExchange.Output(1.5, 20.25, 38.5, new double[] {1.0, 1.25}, 123456789L, 2,
                new float[] {1f, -2f, 3f, 4f}, new float[] {0.5f, 0.25f});
        Path g = tmp.resolve("out.bin");
        AlsExchange.writeOutput(g, out);
        AlsExchange.Output o = AlsExchange.readOutput(g);
        assertEquals(out.setupSeconds(), o.setupSeconds());
        assertEquals(out.fitSeconds(), o.fitSeconds());
        assertEquals(out.fitCpuSeconds(), o.fitCpuSeconds());
        assertArrayEquals(out.iterationSeconds(), o.iterationSeconds());
        assertEquals(out.peakHeapBytes(), o.peakHeapBytes());
        assertEquals(out.rank(), o.rank());
        assertArrayEquals(out.userFactors(), o.userFactors());
        assertArrayEquals(out.itemFactors(), o.itemFactors());
    }

    @Test
    void aForeignFileIsRefusedByName() throws IOException {
        Path f = tmp.resolve("other.bin");
        Files.write(f, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        IOException e = assertThrows(IOException.class, () -> AlsExchange.readOutput(f));
        assertTrue(e.getMessage().contains(f + " is not a segue bench als exchange file"), e.getMessage());
    }
}
