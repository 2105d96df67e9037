package dev.segue.serving.cli;

import dev.segue.cli.ProgressMeter;
import dev.segue.serving.bench.AnnBenchmark;
import dev.segue.serving.bench.AnnPeers;
import dev.segue.serving.bench.BenchData;
import dev.segue.serving.index.HnswParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code segue bench ann}: HNSW recall and speed against the exact scan (see {@link AnnBenchmark}). */
@Command(name = "ann", sortOptions = false,
        description = {"HNSW (MIPS reduction) against an exact scan: build time, heap per item, save/load time,",
                "recall@10 and recall@500 and single-thread queries/s for several beams; then the peers (C++ hnswlib,",
                "FAISS IndexFlatIP; tools/bench/install-peers.sh) on the same vectors and queries, at equal recall."})
public final class AnnBenchCommand implements Callable<Integer> {
    // --version (the program version) is added to every command by dev.segue.cli.CliConvention.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Spec
    CommandSpec spec;

    @Mixin
    BenchDataOptions data = new BenchDataOptions();

    @Option(names = "--queries", defaultValue = "300", description = "query vectors (default: ${DEFAULT-VALUE})")
    int queries;

    @Option(names = "--m", defaultValue = "" + HnswParams.DEFAULT_M, description = "M (default: ${DEFAULT-VALUE})")
    int m;

    @Option(names = "--ef-construction", defaultValue = "" + HnswParams.DEFAULT_EF_CONSTRUCTION,
            description = "efConstruction (default: ${DEFAULT-VALUE})")
    int efConstruction;

    @Option(names = "--ef", split = ",", defaultValue = "10,25,50,100,200,400", description = "ef values for k=10 (default: ${DEFAULT-VALUE})")
    int[] efs;

    @Option(names = "--ef-factor", split = ",", defaultValue = "1,1.5,2,3,4", description = "ef factors for k=500 (default: ${DEFAULT-VALUE})")
    double[] efFactors;

    @Option(names = "--threads", description = "build threads (default: all cores)")
    Integer threads;

    @Option(names = {"--index-artifacts", "--index-cache"}, paramLabel = "DIR",
            description = "reuse the index artifact kept here for the same factors and M/efConstruction (else build and save it; --index-cache is the older name)")
    Path indexCache;

    @Option(names = "--passes", defaultValue = "3", description = "timed passes per setting (default: ${DEFAULT-VALUE})")
    int passes;

    @Option(names = "--runs", defaultValue = "1",
            description = "whole runs (each builds its own graphs, Segue's and the peers'), then medians of the per-run "
                    + "ratios; odd counts give a true median (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--peers", split = ",", defaultValue = "hnswlib,faiss",
            description = "peers to run on the same data: hnswlib, faiss, or none (default: ${DEFAULT-VALUE}; a missing one is skipped with a note)")
    List<String> peers;

    @Option(names = "--peer-python", paramLabel = "PATH", defaultValue = "/usr/bin/python3",
            description = "the Python with python3-hnswlib / python3-faiss (default: ${DEFAULT-VALUE}, Debian's)")
    Path peerPython;

    @Option(names = "--peer-script", paramLabel = "PATH",
            description = "the peer runner (default: tools/bench/ann_peer.py of this checkout)")
    Path peerScript;

    @Override
    public Integer call() throws Exception {
        if (queries < 1 || passes < 1 || runs < 1) {
            throw new ParameterException(spec.commandLine(), "--queries, --passes and --runs must be >= 1");
        }
        HnswParams build;
        try {
            data.check();
            build = new HnswParams(m, efConstruction, HnswParams.DEFAULT_EF, HnswParams.DEFAULT_EF_FACTOR);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<String> peerNames = peers.size() == 1 && peers.get(0).equals("none") ? List.of() : peers;
        for (String p : peerNames) {
            if (!AnnPeers.KNOWN.contains(p)) {
                throw new ParameterException(spec.commandLine(), "--peers: unknown peer \"" + p + "\"; known: "
                        + String.join(", ", AnnPeers.KNOWN) + ", or none");
            }
        }
        BenchData bench = data.load(queries);
        Path scratch = Files.createTempDirectory("segue-bench-ann");
        try {
            AnnBenchmark benchmark = new AnnBenchmark(bench, build,
                    threads == null ? Runtime.getRuntime().availableProcessors() : threads, passes, System.out)
                    .withPeers(new AnnPeers(peerPython, peerScript != null ? peerScript : AnnPeers.defaultScript(),
                            scratch, passes), peerNames);
            List<AnnBenchmark.Run> done = new java.util.ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                if (runs > 1) {
                    System.out.printf("%n=== run %d of %d%s%n", run, runs, indexCache != null && run > 1
                            ? " (graph from --index-artifacts: build not measured again)" : "");
                }
                try (ProgressMeter progress = ProgressMeter.start("HNSW build", 0, "items", true)) {
                    done.add(benchmark.run(efs, efFactors, scratch,
                            indexCache == null ? null : new dev.segue.serving.index.IndexArtifacts(indexCache),
                            progress::update));
                }
            }
            if (runs > 1) {
                AnnBenchmark.summarize(done, System.out);
            }
        } finally {
            try (Stream<Path> s = Files.walk(scratch)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }
}
