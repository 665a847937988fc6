package io.cairn.sql.frontend;

import java.util.List;
import java.util.function.Supplier;

/**
 * A statement as Calcite text in two forms: its shape — with chosen literals replaced by typed
 * parameters {@code CAST(? AS type)}, whose values are {@link #values()} in text order — and the
 * same statement with every literal inline, for shapes Calcite cannot compile with parameters.
 * The shape is what the plan cache is keyed by, so statements that differ only in those literals
 * (as sysbench and Connector/J send them) share one compiled plan, like MySQL's statement digest.
 */
public final class ShapedText {
    private final String text;
    private final List<Object> values;
    private final Supplier<String> literalRenderer;
    private String literalText;

    ShapedText(String text, List<Object> values, Supplier<String> literalRenderer) {
        this.text = text;
        this.values = List.copyOf(values);
        this.literalRenderer = literalRenderer;
    }

    /** Text without parameters. */
    public static ShapedText literal(String text) {
        return new ShapedText(text, List.of(), () -> text);
    }

    /** The shape: Calcite text with {@code ?} for each of {@link #values()}. */
    public String text() {
        return text;
    }

    /** The parameter values in text order, as Java values (Integer/Long/BigDecimal/Double/String). */
    public List<Object> values() {
        return values;
    }

    /** The statement with every literal inline (rendered on first use). */
    public String literalText() {
        if (literalText == null) {
            literalText = values.isEmpty() ? text : literalRenderer.get();
        }
        return literalText;
    }
}
