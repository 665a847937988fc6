package io.cairn.sql.plan;

import io.cairn.sql.auth.TableAccess;
import io.cairn.sql.catalog.Catalog;
import io.cairn.sql.catalog.TableDefinition;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableInterpretable;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRules;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.validate.SqlConformance;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.calcite.sql2rel.ConvertToChecked;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.tools.Program;
import org.apache.calcite.tools.Programs;

/**
 * Compiles a parsed query: views inlined, MySQL operators swapped in, then Calcite validation
 * (MySQL conformance, case-insensitive names), conversion to relational algebra, strings compared by
 * the default collation ({@link DefaultCollation}), optimization with
 * {@link Programs#standard()}, the filters above each table scan handed to it as its access path
 * ({@link AccessPaths}: key predicates become point and range lookups at run time), sorts and hash
 * aggregations metered against the statement's operator memory ({@link OperatorMemoryMeters}), and code
 * generation to a {@link Bindable} — once per plan, so that running it costs no compilation. The
 * plan carries what it reads ({@link AccessAnalyzer}): plans are shared by every session, so
 * privileges are checked against that list at each execution, never only here.
 *
 * <p>Thread-safe: every call uses its own validator and planner.
 */
public final class QueryCompiler {
    /**
     * The type factory shared by compilation and execution. Character types are UTF-8 (MySQL's
     * utf8mb4), not Calcite's default ISO-8859-1, under which a literal such as {@code '日本'}
     * fails to compile.
     */
    public static final JavaTypeFactory TYPE_FACTORY = new JavaTypeFactoryImpl(MysqlTypeSystem.INSTANCE) {
        @Override
        public Charset getDefaultCharset() {
            return StandardCharsets.UTF_8;
        }
    };

    private static final CalciteConnectionConfig CONFIG;

    /** MySQL's rules, with integer arithmetic that fails on overflow (error 1690) instead of wrapping. */
    private static final SqlConformance MYSQL = new SqlDelegatingConformance(SqlConformanceEnum.MYSQL_5) {
        @Override
        public boolean checkedArithmetic() {
            return true;
        }
    };

    static {
        Properties p = new Properties();
        p.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
        p.setProperty(CalciteConnectionProperty.CONFORMANCE.camelName(), SqlConformanceEnum.MYSQL_5.name());
        CONFIG = new CalciteConnectionConfigImpl(p);
    }

    /**
     * @param query      a parsed query (consumed: it is rewritten in place)
     * @param catalog    the catalog the statement sees
     * @param root       the Calcite schema of that catalog
     * @param defaultDb  the session's database, or null
     * @param viewParser parses a view's stored SELECT
     * @param dml        the query selects the rows of an UPDATE or DELETE (its leading row-key and row
     *                   items are not reads of the statement, see {@link AccessAnalyzer})
     * @throws PlannerFailure when Calcite fails an internal check (a bug, not an error of the statement)
     */
    public CompiledQuery compile(SqlNode query, Catalog catalog, SchemaPlus root, String defaultDb,
            Function<TableDefinition, SqlNode> viewParser, boolean dml) {
        try {
            return compileChecked(query, catalog, root, defaultDb, viewParser, dml);
        } catch (AssertionError e) {
            // Calcite checks its own invariants with AssertionErrors, also with assertions disabled
            throw new PlannerFailure(e);
        }
    }

    private static SqlValidator validator(CalciteCatalogReader reader) {
        return SqlValidatorUtil.newValidator(MysqlOperators.TABLE, reader, TYPE_FACTORY,
                SqlValidator.Config.DEFAULT.withConformance(MYSQL)
                        .withDefaultNullCollation(NullCollation.LOW) // MySQL: NULL sorts first ascending
                        .withIdentifierExpansion(true));
    }

    private CompiledQuery compileChecked(SqlNode query, Catalog catalog, SchemaPlus root, String defaultDb,
            Function<TableDefinition, SqlNode> viewParser, boolean dml) {
        List<TableDefinition> inlined = new ArrayList<>();
        SqlNode node = query.accept(new ViewInliner(catalog, defaultDb, viewParser, 0, inlined));
        node = MysqlOperators.rewrite(node);
        CalciteCatalogReader reader = new CalciteCatalogReader(CalciteSchema.from(root),
                defaultDb == null ? List.of() : List.of(defaultDb), TYPE_FACTORY, CONFIG);
        SqlValidator validator = validator(reader);
        SqlNode validated = validator.validate(node);
        SqlNode regrouped = GroupedSubqueries.rewrite(validator, validated);
        if (regrouped != null) {
            validator = validator(reader);
            validated = validator.validate(regrouped);
        }
        RelDataType rowType = validator.getValidatedNodeType(validated);
        RelDataType parameterRowType = validator.getParameterRowType(validated);

        VolcanoPlanner planner = new VolcanoPlanner();
        planner.addRelTraitDef(ConventionTraitDef.INSTANCE);
        planner.addRelTraitDef(RelCollationTraitDef.INSTANCE);
        RelOptUtil.registerDefaultRules(planner, false, false);
        // ORDER BY … LIMIT n as a top-n sort holding n rows (the default plan sorts every row, then takes n),
        // which the operator memory limit does not meter
        planner.addRule(EnumerableRules.ENUMERABLE_LIMIT_SORT_RULE);
        // Calcite's semi-join rules lose every row joined to a grand total of no rows (see SemiJoinRules)
        SemiJoinRules.replace(planner);
        RelOptCluster cluster = RelOptCluster.create(planner, new RexBuilder(TYPE_FACTORY));
        RelOptTable.ViewExpander noViews = (type, sql, schemaPath, viewPath) -> {
            throw new IllegalStateException("views are inlined before validation; Calcite asked to expand " + viewPath);
        };
        // no simplification while converting: it would fold a comparison of two string literals ('b' = 'B') in
        // binary before DefaultCollation makes it compare collation keys; the planner simplifies afterwards
        SqlToRelConverter converter = new SqlToRelConverter(noViews, validator, reader, cluster,
                MysqlOperators.CONVERTLETS,
                SqlToRelConverter.config().withTrimUnusedFields(true).withExpand(false)
                        .withRelBuilderConfigTransform(c -> c.withSimplify(false)));
        RelRoot relRoot = converter.convertQuery(validated, false, true);
        CorrelationCheck.check(relRoot.rel);
        List<TableAccess> access = AccessAnalyzer.analyze(validator, validated, dml, relRoot.rel, inlined);
        RelNode logical = new ConvertToChecked(cluster.getRexBuilder()).visit(
                Microseconds.apply(DefaultCollation.apply(relRoot.project())));
        // the ordering is kept by the Sort inside the plan; asking for root.collation on the projected
        // rel would name fields the projection dropped (ORDER BY a column not selected)
        RelTraitSet desired = logical.getTraitSet().replace(EnumerableConvention.INSTANCE).simplify();
        Program program = Programs.standard();
        RelNode physical = EnumerableArraySort.replaceSorts(OperatorMemoryMeters.attach(ReadColumns.attach(AccessPaths.attach(
                program.run(planner, logical, desired, List.of(), List.of())))));
        @SuppressWarnings("unchecked")
        Map<String, Object> internals = new java.util.HashMap<>();
        Bindable<Object> bindable = EnumerableInterpretable.toBindable(internals, null, (EnumerableRel) physical,
                EnumerableRel.Prefer.ARRAY);
        List<RelDataType> params = new ArrayList<>();
        parameterRowType.getFieldList().forEach(f -> params.add(f.getType()));
        return new CompiledQuery(bindable, rowType, params, catalog.version(), Map.copyOf(internals), access);
    }
}
