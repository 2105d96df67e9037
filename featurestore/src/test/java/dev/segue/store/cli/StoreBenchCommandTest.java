package dev.segue.store.cli;

import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.*;

class StoreBenchCommandTest {
    @TempDir
    Path tmp;

    @Test
    void joinEntitiesAreWrittenForAnotherImplementation() throws Exception {
        StringWriter o = new StringWriter();
        CommandLine cl = dev.segue.cli.CliConvention.install(new CommandLine(new StoreBenchCommand()));
        cl.setOut(new PrintWriter(o));
        Path entities = tmp.resolve("entities.arrow");
        int code = cl.execute("--rows", "2000", "--dim", "4", "--join-rows", "3000", "--join-entities", "700",
                "--join-keys", "100", "--reps", "1", "--lookups", "10", "--dir", tmp.resolve("store").toString(),
                "--entities-out", entities.toString());
        assertEquals(0, code, o.toString());
        assertTrue(o.toString().contains("point-in-time join: 700 entity rows x 3,000 feature rows"), o.toString());
        try (RootAllocator a = new RootAllocator();
             FileChannel ch = FileChannel.open(entities, StandardOpenOption.READ);
             ArrowFileReader r = new ArrowFileReader(ch, a)) {
            long rows = 0;
            while (r.loadNextBatch()) rows += r.getVectorSchemaRoot().getRowCount();
            assertEquals(700, rows);
            assertEquals(java.util.List.of("user", "event_timestamp"),
                    r.getVectorSchemaRoot().getSchema().getFields().stream().map(f -> f.getName()).toList());
        }
    }
}
