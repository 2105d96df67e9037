package dev.segue.eval.cli;

import dev.segue.eval.BadInputException;
import dev.segue.eval.report.ReportComparison;
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
        description = "Put several evaluation reports side by side: a markdown table on stdout and, with --out, "
                + "compare.md and a combined chart compare.png.")
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

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() {
        return CliErrors.run("evaluate compare", spec.commandLine().getErr(), verbose, () -> {
            if (reports.isEmpty()) {
                throw new BadInputException("give at least one report folder");
            }
            ReportComparison comparison = ReportComparison.load(reports);
            String md = comparison.markdown();
            spec.commandLine().getOut().print(md);
            spec.commandLine().getOut().flush();
            if (out != null) {
                comparison.write(out, metric);
                spec.commandLine().getOut().println("written: " + out.resolve("compare.md") + ", "
                        + out.resolve("compare.png"));
            }
            return 0;
        });
    }
}
