package io.cairn.sql.frontend;

import io.cairn.sql.catalog.ColumnDefinition;
import java.util.List;

/** MySQL DDL statements, parsed by {@link DdlParser} and executed by {@code io.cairn.sql.exec.DdlExecutor}. */
public sealed interface DdlStatement {
    /** A name with an optional database qualifier (null = the session's database). */
    record Name(String database, String name) {
    }

    /** An index column with DESC. */
    record IndexColumn(String name, boolean descending) {
    }

    /** A KEY / UNIQUE KEY / INDEX in CREATE TABLE or ALTER TABLE (name may be null). */
    record IndexSpec(String name, List<IndexColumn> columns, boolean unique) {
    }

    record CreateDatabase(String name, boolean ifNotExists) implements DdlStatement {
    }

    record DropDatabase(String name, boolean ifExists) implements DdlStatement {
    }

    /**
     * @param like the table to copy the definition of (CREATE TABLE … LIKE), else null
     */
    record CreateTable(Name table, boolean ifNotExists, List<ColumnDefinition> columns, List<String> primaryKey,
                       List<IndexSpec> indexes, Name like) implements DdlStatement {
    }

    record DropTable(List<Name> tables, boolean ifExists, boolean views) implements DdlStatement {
    }

    record CreateIndex(Name table, IndexSpec index) implements DdlStatement {
    }

    record DropIndex(Name table, String index) implements DdlStatement {
    }

    record Truncate(Name table) implements DdlStatement {
    }

    /** ALTER TABLE with one or more actions. */
    record AlterTable(Name table, List<AlterAction> actions) implements DdlStatement {
    }

    /** One ALTER TABLE action. */
    sealed interface AlterAction {
    }

    record AddColumn(ColumnDefinition column, boolean primaryKey) implements AlterAction {
    }

    record DropColumn(String column) implements AlterAction {
    }

    record AddIndex(IndexSpec index) implements AlterAction {
    }

    record DropIndexAction(String index) implements AlterAction {
    }

    /** DISABLE KEYS / ENABLE KEYS, which dump files wrap around a table's rows: nothing to do, as on InnoDB. */
    record KeysHint(boolean enable) implements AlterAction {
    }

    /**
     * CREATE [OR REPLACE] [ALGORITHM = …] [DEFINER = user] [SQL SECURITY {DEFINER | INVOKER}] VIEW name
     * [(columns)] AS select.
     *
     * @param definerUser the DEFINER's user, or null for CURRENT_USER (the session fills it in)
     * @param definerHost the DEFINER's host, or null
     * @param invoker     SQL SECURITY INVOKER
     */
    record CreateView(Name view, boolean orReplace, List<String> columns, String selectSql, String definerUser,
                      String definerHost, boolean invoker) implements DdlStatement {
        public CreateView withDefiner(String user, String host) {
            return new CreateView(view, orReplace, columns, selectSql, user, host, invoker);
        }
    }
}
