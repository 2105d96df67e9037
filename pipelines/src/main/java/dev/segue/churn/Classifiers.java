package dev.segue.churn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.tribuo.Prediction;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluationUtil;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Shared plumbing for the churn and genre classifiers (Tribuo): a dense feature matrix with names, datasets,
 * held-out evaluation, permutation importance and the report files (metrics JSON + Markdown summary).
 * Metric definitions are Tribuo's: AUROC, average precision (AUPR), accuracy, precision, recall, F1.
 */
public final class Classifiers {
    public static final LabelFactory LABELS = new LabelFactory();
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Classifiers() {}

    /** Rows of named dense features with a label each. */
    public record Matrix(String[] names, double[][] rows, String[] labels) {
        public int size() {
            return rows.length;
        }

        /** The same rows with only the given columns. */
        public Matrix columns(int[] keep) {
            String[] n = new String[keep.length];
            for (int j = 0; j < keep.length; j++) {
                n[j] = names[keep[j]];
            }
            double[][] r = new double[rows.length][keep.length];
            for (int i = 0; i < rows.length; i++) {
                for (int j = 0; j < keep.length; j++) {
                    r[i][j] = rows[i][keep[j]];
                }
            }
            return new Matrix(n, r, labels);
        }

        /** Columns that vary over these rows (a constant column carries no signal and breaks z-scoring). */
        public int[] varyingColumns() {
            java.util.List<Integer> keep = new ArrayList<>();
            for (int j = 0; j < names.length; j++) {
                for (int i = 1; i < rows.length; i++) {
                    if (rows[i][j] != rows[0][j]) {
                        keep.add(j);
                        break;
                    }
                }
            }
            return keep.stream().mapToInt(Integer::intValue).toArray();
        }

        public Matrix subset(int[] idx) {
            double[][] r = new double[idx.length][];
            String[] l = new String[idx.length];
            for (int i = 0; i < idx.length; i++) {
                r[i] = rows[idx[i]];
                l[i] = labels[idx[i]];
            }
            return new Matrix(names, r, l);
        }
    }

    public static MutableDataset<Label> dataset(Matrix m, String description) {
        List<Example<Label>> examples = new ArrayList<>(m.size());
        for (int i = 0; i < m.size(); i++) {
            examples.add(new ArrayExample<>(new Label(m.labels()[i]), m.names(), m.rows()[i]));
        }
        return new MutableDataset<>(new ListDataSource<>(examples, LABELS,
                new SimpleDataSourceProvenance(description, LABELS)));
    }

    public static LabelEvaluation evaluate(Model<Label> model, MutableDataset<Label> test) {
        return new LabelEvaluator().evaluate(model, test);
    }

    /** Binary metrics with {@code positive} as the positive class. */
    public static Map<String, Double> binaryMetrics(LabelEvaluation e, String positive) {
        Label p = new Label(positive);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("auroc", e.AUCROC(p));
        m.put("aupr", e.averagedPrecision(p));
        m.put("accuracy", e.accuracy());
        m.put("precision", e.precision(p));
        m.put("recall", e.recall(p));
        m.put("f1", e.f1(p));
        return m;
    }

    /**
     * Binary metrics from scores, for any model family (Tribuo or XGBoost): AUROC and average precision
     * (AUPR) by Tribuo's {@link LabelEvaluationUtil}; accuracy, precision, recall and F1 of the positive class
     * when a row is predicted positive at {@code score >= 0.5} (precision is 0 when nothing is predicted
     * positive). {@code score[i]} is the model's probability (or vote share) of {@code positive} for row i.
     */
    public static Map<String, Double> binaryMetrics(String[] labels, double[] score, String positive) {
        if (labels.length != score.length || labels.length == 0) {
            throw new IllegalArgumentException(labels.length + " labels for " + score.length + " scores");
        }
        boolean[] pos = new boolean[labels.length];
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < labels.length; i++) {
            pos[i] = labels[i].equals(positive);
            boolean predicted = score[i] >= 0.5;
            if (predicted) {
                if (pos[i]) {
                    tp++;
                } else {
                    fp++;
                }
            } else if (pos[i]) {
                fn++;
            } else {
                tn++;
            }
        }
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("auroc", LabelEvaluationUtil.binaryAUCROC(pos, score));
        m.put("aupr", LabelEvaluationUtil.averagedPrecision(pos, score));
        m.put("accuracy", (double) (tp + tn) / labels.length);
        m.put("precision", precision);
        m.put("recall", recall);
        m.put("f1", precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
        return m;
    }

    /** A Tribuo model's score of {@code positive} for every row of {@code m} (0 when the label is unscored). */
    public static double[] scores(Model<Label> model, Matrix m, String positive) {
        List<Prediction<Label>> predictions = model.predict(dataset(m, "score"));
        double[] out = new double[predictions.size()];
        for (int i = 0; i < out.length; i++) {
            Label l = predictions.get(i).getOutputScores().get(positive);
            out[i] = l == null ? 0 : l.getScore();
        }
        return out;
    }

    /** Multi-class metrics: accuracy, macro and micro F1. */
    public static Map<String, Double> multiclassMetrics(LabelEvaluation e) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", e.accuracy());
        m.put("macro_f1", e.macroAveragedF1());
        m.put("micro_f1", e.microAveragedF1());
        return m;
    }

    /** A score of a model on a test matrix (higher is better), used by {@link #permutationImportance}. */
    public interface Score {
        double of(Model<Label> model, MutableDataset<Label> test);
    }

    /**
     * Permutation importance: the drop of {@code score} on the test rows when one feature's column is
     * shuffled (seeded), for every feature; sorted by decreasing drop.
     */
    public static List<Map.Entry<String, Double>> permutationImportance(Model<Label> model, Matrix test, Score score,
                                                                       long seed) {
        return permutationImportance(test, m -> score.of(model, dataset(m, "permuted")), seed);
    }

    /** Permutation importance for any model: {@code score} evaluates a fitted model on a (permuted) matrix. */
    public static List<Map.Entry<String, Double>> permutationImportance(Matrix test, ToDoubleFunction<Matrix> score,
                                                                       long seed) {
        double base = score.applyAsDouble(test);
        List<Map.Entry<String, Double>> out = new ArrayList<>();
        int n = test.size();
        for (int f = 0; f < test.names().length; f++) {
            int[] perm = new int[n];
            for (int i = 0; i < n; i++) {
                perm[i] = i;
            }
            SplittableRandom rnd = new SplittableRandom(seed + f);
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            double[][] rows = new double[n][];
            for (int i = 0; i < n; i++) {
                rows[i] = test.rows()[i].clone();
                rows[i][f] = test.rows()[perm[i]][f];
            }
            double s = score.applyAsDouble(new Matrix(test.names(), rows, test.labels()));
            out.add(Map.entry(test.names()[f], base - s));
        }
        out.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        return out;
    }

    public static void writeJson(Path file, Object value) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), value);
    }

    public static void writeText(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text);
    }

    /** A row of a Markdown table. */
    public static String row(Object... cells) {
        StringBuilder b = new StringBuilder("|");
        for (Object c : cells) {
            b.append(' ').append(c instanceof Double d ? String.format(java.util.Locale.ROOT, "%.4f", d) : c).append(" |");
        }
        return b.append('\n').toString();
    }
}
