package dev.segue.eval.cli;

import dev.segue.eval.BadInputException;
import dev.segue.eval.report.ReportComparison;
import dev.segue.eval.stats.PairedTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code segue evaluate compare DIR…}: several reports side by side. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Put several evaluation reports side by side: a markdown table, the RecSys 2018 Borda ranking "
                + "and paired significance tests on stdout and, with --out, compare.md and a combined chart "
                + "compare.png.")
public final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", arity = "1..*", description = "report folders (or report.json files)")
    List<Path> reports = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "write compare.md and compare.png here")
    Path out;

    @Option(names = "--metric", defaultValue = "ndcg",
            description = "metric of the combined chart, by category (default: ${DEFAULT-VALUE})")
    String metric;

    @Option(names = "--pair", arity = "2", paramLabel = "METHOD",
            description = "a paired test of these two methods, overall and per category (names as in the table; "
                    + "default: every pair, overall)")
    List<String> pair;

    @Option(names = "--resamples", paramLabel = "N",
            description = "sign-flip resamples of the paired tests (default: ${DEFAULT-VALUE})")
    int resamples = PairedTest.DEFAULT_RESAMPLES;

    @Option(names = "--seed", paramLabel = "S", description = "seed of the sign-flip resamples (default: ${DEFAULT-VALUE})")
    long seed = PairedTest.DEFAULT_SEED;

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() {
        return CliErrors.run("evaluate compare", spec.commandLine().getErr(), verbose, () -> {
            if (reports.isEmpty()) {
                throw new BadInputException("give at least one report folder");
            }
            if (resamples < 1) {
                throw new BadInputException("--resamples must be at least 1, got " + resamples);
            }
            ReportComparison comparison = ReportComparison.load(reports);
            String md = comparison.markdown() + "\n" + comparison.bordaMarkdown()
                    + comparison.pairedMarkdown(pair, resamples, seed);
            spec.commandLine().getOut().print(md);
            spec.commandLine().getOut().flush();
            if (out != null) {
                comparison.write(out, metric, md);
                spec.commandLine().getOut().println("written: " + out.resolve("compare.md") + ", "
                        + out.resolve("compare.png"));
            }
            return 0;
        });
    }
}
