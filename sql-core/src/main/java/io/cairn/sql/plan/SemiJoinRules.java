package io.cairn.sql.plan;

import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.SemiJoinRule;

/**
 * Calcite's {@link CoreRules#PROJECT_TO_SEMI_JOIN} and {@link CoreRules#JOIN_TO_SEMI_JOIN}, except
 * for an inner join with an aggregate without group keys (a grand total).
 *
 * <p>Why: those rules turn {@code left INNER JOIN agg ON keys} whose aggregate columns are unused
 * into {@code left SEMI JOIN input-of-agg}. That is sound when the join keys are the group keys, but
 * a grand total has exactly one row even over an empty input, so the inner join keeps every left row
 * while the semi-join keeps none when the input is empty ({@code SELECT t.a FROM t CROSS JOIN
 * (SELECT COUNT(*) FROM u WHERE …)} returned no rows when no row of u qualified). IN sub-query
 * removal builds that join too: an IN that is not a plain conjunct gets the sub-query's COUNT(*)
 * joined to every row, for its three-valued result; once the sub-query's WHERE is proven FALSE, the
 * IN test folds to FALSE, the count goes unused, and {@code x IN (empty) OR p} returned no rows
 * instead of the rows where p holds. Immutable.
 */
final class SemiJoinRules {
    private static final ProjectToSemiJoin PROJECT_TO_SEMI_JOIN = new ProjectToSemiJoin();
    private static final JoinToSemiJoin JOIN_TO_SEMI_JOIN = new JoinToSemiJoin();

    private SemiJoinRules() {
    }

    /** Replaces Calcite's semi-join rules in {@code planner} by these. */
    static void replace(RelOptPlanner planner) {
        if (planner.removeRule(CoreRules.PROJECT_TO_SEMI_JOIN)) {
            planner.addRule(PROJECT_TO_SEMI_JOIN);
        }
        if (planner.removeRule(CoreRules.JOIN_TO_SEMI_JOIN)) {
            planner.addRule(JOIN_TO_SEMI_JOIN);
        }
    }

    /** Whether the rewrite keeps the rows: not for an inner join with a grand total (see above). */
    private static boolean sound(Join join, Aggregate aggregate) {
        return join.getJoinType() != JoinRelType.INNER || !aggregate.getGroupSet().isEmpty();
    }

    private static final class ProjectToSemiJoin extends SemiJoinRule.ProjectToSemiJoinRule {
        ProjectToSemiJoin() {
            super(CoreRules.PROJECT_TO_SEMI_JOIN.config.withDescription("CairnSemiJoinRule:project")
                    .as(ProjectToSemiJoinRuleConfig.class));
        }

        @Override
        protected void perform(RelOptRuleCall call, Project project, Join join, RelNode left, Aggregate aggregate) {
            if (sound(join, aggregate)) {
                super.perform(call, project, join, left, aggregate);
            }
        }
    }

    private static final class JoinToSemiJoin extends SemiJoinRule.JoinToSemiJoinRule {
        JoinToSemiJoin() {
            super(CoreRules.JOIN_TO_SEMI_JOIN.config.withDescription("CairnSemiJoinRule:join")
                    .as(JoinToSemiJoinRuleConfig.class));
        }

        @Override
        protected void perform(RelOptRuleCall call, Project project, Join join, RelNode left, Aggregate aggregate) {
            if (sound(join, aggregate)) {
                super.perform(call, project, join, left, aggregate);
            }
        }
    }
}
