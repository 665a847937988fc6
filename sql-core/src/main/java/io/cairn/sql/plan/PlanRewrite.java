package io.cairn.sql.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.calcite.rel.RelNode;

/** The tree walk shared by the passes over a physical plan after optimization. Stateless. */
final class PlanRewrite {
    private PlanRewrite() {
    }

    /**
     * {@code rel} rewritten bottom-up: each input first, then {@code input.apply(parent, rewrittenInput,
     * originalInput)} may replace it, then {@code node} the parent itself (copied only when an input changed).
     */
    static RelNode bottomUp(RelNode rel, InputRewrite input, UnaryOperator<RelNode> node) {
        List<RelNode> inputs = rel.getInputs();
        List<RelNode> rewritten = new ArrayList<>(inputs.size());
        boolean changed = false;
        for (RelNode in : inputs) {
            RelNode r = input.apply(rel, bottomUp(in, input, node), in);
            changed |= r != in;
            rewritten.add(r);
        }
        return node.apply(changed ? rel.copy(rel.getTraitSet(), rewritten) : rel);
    }

    /** {@link #bottomUp} with only the nodes rewritten. */
    static RelNode bottomUp(RelNode rel, UnaryOperator<RelNode> node) {
        return bottomUp(rel, (parent, rewritten, original) -> rewritten, node);
    }

    /** {@link #bottomUp} with only the inputs rewritten, knowing their parent. */
    static RelNode inputs(RelNode rel, InputRewrite input) {
        return bottomUp(rel, input, UnaryOperator.identity());
    }

    /** Replaces an input already rewritten ({@code rewritten}) of {@code parent}; {@code original} is it before. */
    @FunctionalInterface
    interface InputRewrite {
        RelNode apply(RelNode parent, RelNode rewritten, RelNode original);
    }
}
