package io.cairn.sql.frontend;


import io.cairn.mysql.MysqlError;
import io.cairn.sql.catalog.ColumnDefinition;
import io.cairn.sql.catalog.ColumnDefinition.DefaultKind;
import io.cairn.sql.catalog.DataType;
import io.cairn.sql.catalog.SqlType;
import io.cairn.sql.frontend.DdlStatement.IndexColumn;
import io.cairn.sql.frontend.DdlStatement.IndexSpec;
import io.cairn.sql.frontend.DdlStatement.Name;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses MySQL DDL that Calcite cannot read (STACK-NOTES): CREATE/DROP DATABASE|SCHEMA, CREATE TABLE
 * in MySQL's form (column attributes in any order, AUTO_INCREMENT, UNSIGNED, KEY/INDEX/UNIQUE clauses,
 * table options ignored), DROP TABLE/VIEW, CREATE/DROP INDEX, ALTER TABLE ADD/DROP COLUMN|INDEX,
 * TRUNCATE, CREATE VIEW. Stateless and thread-safe.
 */
public final class DdlParser {
    private DdlParser() {
    }

    /**
     * Parses the DDL statement at the cursor's start.
     *
     * @throws io.cairn.sql.SqlException 1064 when the text is not valid DDL
     */
    /**
     * An account name: {@code 'user'@'host'}, {@code user@host} or {@code user} (host {@code %}).
     *
     * @return user and host (host lower-cased)
     */
    public static String[] account(TokenCursor c) {
        Token t = c.next();
        String user = t.type() == Token.Type.STRING || t.identifier() != null ? t.text() : null;
        if (user == null) {
            throw c.error();
        }
        String host = "%";
        if (!c.atEnd() && c.peek().type() == Token.Type.USER_VAR) {
            host = c.next().text(); // @'host' and @host are lexed as a user variable
            if (host.isEmpty() && c.acceptSymbol("%")) {
                host = "%";
            }
        } else if (c.acceptSymbol("@")) {
            Token h = c.next();
            host = h.text();
        }
        return new String[] {user, host.toLowerCase(java.util.Locale.ROOT)};
    }

    public static DdlStatement parse(TokenCursor c) {
        if (c.accept("CREATE")) {
            boolean orReplace = c.acceptAll("OR", "REPLACE");
            if (c.accept("DATABASE") || c.accept("SCHEMA")) {
                boolean ifNotExists = c.acceptAll("IF", "NOT", "EXISTS");
                String name = c.identifier();
                skipOptions(c);
                return new DdlStatement.CreateDatabase(name, ifNotExists);
            }
            c.accept("TEMPORARY");
            if (c.accept("TABLE")) {
                return createTable(c);
            }
            boolean unique = c.accept("UNIQUE");
            if (c.accept("INDEX") || c.accept("KEY")) {
                String name = c.identifier();
                skipIndexType(c);
                c.expect("ON");
                Name table = name(c);
                List<IndexColumn> cols = indexColumns(c);
                skipIndexType(c);
                c.expectEnd();
                return new DdlStatement.CreateIndex(table, new IndexSpec(name, cols, unique));
            }
            String definerUser = null;
            String definerHost = null;
            boolean invoker = false;
            while (true) {
                if (c.accept("ALGORITHM")) {
                    c.expectSymbol("=");
                    c.next();
                } else if (c.accept("DEFINER")) {
                    c.expectSymbol("=");
                    if (c.accept("CURRENT_USER")) {
                        if (c.acceptSymbol("(")) {
                            c.expectSymbol(")");
                        }
                    } else {
                        String[] account = account(c);
                        definerUser = account[0];
                        definerHost = account[1];
                    }
                } else if (c.accept("SQL")) {
                    c.expect("SECURITY");
                    if (c.accept("INVOKER")) {
                        invoker = true;
                    } else {
                        c.expect("DEFINER");
                        invoker = false;
                    }
                } else {
                    break;
                }
            }
            if (c.accept("VIEW")) {
                Name view = name(c);
                List<String> columns = c.optionalIdentifierList();
                c.expect("AS");
                String select = c.sourceFrom(c.position());
                if (select.isEmpty()) {
                    throw c.error();
                }
                return new DdlStatement.CreateView(view, orReplace, columns, select, definerUser, definerHost, invoker);
            }
            throw c.error();
        }
        if (c.accept("DROP")) {
            if (c.accept("DATABASE") || c.accept("SCHEMA")) {
                boolean ifExists = c.acceptAll("IF", "EXISTS");
                String name = c.identifier();
                c.expectEnd();
                return new DdlStatement.DropDatabase(name, ifExists);
            }
            c.accept("TEMPORARY");
            boolean views = c.accept("VIEW");
            if (!views) {
                c.expect("TABLE");
            }
            boolean ifExists = c.acceptAll("IF", "EXISTS");
            List<Name> names = new ArrayList<>();
            do {
                names.add(name(c));
            } while (c.acceptSymbol(","));
            if (!c.accept("RESTRICT")) {
                c.accept("CASCADE");
            }
            c.expectEnd();
            return new DdlStatement.DropTable(names, ifExists, views);
        }
        if (c.accept("TRUNCATE")) {
            c.accept("TABLE");
            Name table = name(c);
            c.expectEnd();
            return new DdlStatement.Truncate(table);
        }
        if (c.accept("ALTER")) {
            c.expect("TABLE");
            Name table = name(c);
            List<DdlStatement.AlterAction> actions = new ArrayList<>();
            do {
                actions.add(alterAction(c));
            } while (c.acceptSymbol(","));
            c.expectEnd();
            return new DdlStatement.AlterTable(table, actions);
        }
        throw c.error();
    }

    /** DROP INDEX name ON table (its own entry point: "DROP INDEX" is not a table DROP). */
    public static DdlStatement parseDropIndex(TokenCursor c) {
        c.expect("DROP");
        c.expect("INDEX");
        String index = c.identifier();
        c.expect("ON");
        Name table = name(c);
        c.expectEnd();
        return new DdlStatement.DropIndex(table, index);
    }

    private static DdlStatement.AlterAction alterAction(TokenCursor c) {
        if (c.accept("ADD")) {
            if (c.peek() != null && (c.peek().is("INDEX") || c.peek().is("KEY") || c.peek().is("UNIQUE")
                    || c.peek().is("CONSTRAINT") || c.peek().is("PRIMARY"))) {
                List<String> pk = new ArrayList<>();
                List<IndexSpec> idx = new ArrayList<>();
                tableConstraint(c, pk, idx);
                if (!pk.isEmpty()) {
                    throw c.error(); // adding a primary key later is not supported
                }
                return new DdlStatement.AddIndex(idx.get(0));
            }
            c.accept("COLUMN");
            List<String> pk = new ArrayList<>();
            ColumnDefinition col = column(c, pk, new ArrayList<>());
            if (c.accept("FIRST")) {
                throw c.error();
            }
            if (c.accept("AFTER")) {
                c.identifier(); // position is ignored: the column goes last
            }
            return new DdlStatement.AddColumn(col, !pk.isEmpty());
        }
        boolean enable = c.peek() != null && c.peek().is("ENABLE");
        if (c.accept("DISABLE") || c.accept("ENABLE")) {
            c.expect("KEYS");
            return new DdlStatement.KeysHint(enable);
        }
        if (c.accept("DROP")) {
            if (c.accept("INDEX") || c.accept("KEY")) {
                return new DdlStatement.DropIndexAction(c.identifier());
            }
            c.accept("COLUMN");
            return new DdlStatement.DropColumn(c.identifier());
        }
        throw c.error();
    }

    private static Name name(TokenCursor c) {
        String[] q = c.qualifiedName();
        return new Name(q[0], q[1]);
    }

    private static DdlStatement createTable(TokenCursor c) {
        boolean ifNotExists = c.acceptAll("IF", "NOT", "EXISTS");
        Name table = name(c);
        if (c.accept("LIKE")) {
            Name like = name(c);
            c.expectEnd();
            return new DdlStatement.CreateTable(table, ifNotExists, List.of(), List.of(), List.of(), like);
        }
        if (c.acceptSymbol("(") && c.peek() != null && c.peek().is("LIKE")) {
            c.next();
            Name like = name(c);
            c.expectSymbol(")");
            return new DdlStatement.CreateTable(table, ifNotExists, List.of(), List.of(), List.of(), like);
        }
        List<ColumnDefinition> columns = new ArrayList<>();
        List<String> pk = new ArrayList<>();
        List<IndexSpec> indexes = new ArrayList<>();
        do {
            Token t = c.peek();
            if (t == null) {
                throw c.error();
            }
            if (t.type() == Token.Type.WORD && isConstraintStart(c)) {
                tableConstraint(c, pk, indexes);
            } else {
                columns.add(column(c, pk, indexes));
            }
        } while (c.acceptSymbol(","));
        c.expectSymbol(")");
        skipOptions(c);
        if (!pk.isEmpty()) {
            for (int i = 0; i < columns.size(); i++) {
                ColumnDefinition col = columns.get(i);
                for (String p : pk) {
                    if (p.equalsIgnoreCase(col.name())) {
                        columns.set(i, col.withNullable(false));
                    }
                }
            }
        }
        return new DdlStatement.CreateTable(table, ifNotExists, columns, pk, indexes, null);
    }

    private static boolean isConstraintStart(TokenCursor c) {
        Token t = c.peek();
        Token n = c.peek(1);
        String kw = t.keyword();
        boolean nextIsName = n != null && (n.identifier() != null || n.isSymbol("("));
        return switch (kw) {
            case "PRIMARY" -> n != null && n.is("KEY");
            case "CONSTRAINT", "FOREIGN", "CHECK", "FULLTEXT", "SPATIAL" -> true;
            case "UNIQUE", "KEY", "INDEX" -> nextIsName && !(n.isSymbol(",") || n.isSymbol(")"));
            default -> false;
        };
    }

    private static void tableConstraint(TokenCursor c, List<String> pk, List<IndexSpec> indexes) {
        if (c.accept("CONSTRAINT")) {
            if (c.peek() != null && !c.peek().is("PRIMARY") && !c.peek().is("UNIQUE") && !c.peek().is("FOREIGN")
                    && !c.peek().is("CHECK")) {
                c.identifier();
            }
        }
        if (c.acceptAll("PRIMARY", "KEY")) {
            skipIndexType(c);
            if (!pk.isEmpty()) {
                throw new io.cairn.sql.SqlException(MysqlError.MULTIPLE_PRI_KEY);
            }
            for (IndexColumn ic : indexColumns(c)) {
                pk.add(ic.name());
            }
            skipIndexType(c);
            return;
        }
        if (c.accept("FOREIGN") || c.accept("CHECK") || c.accept("FULLTEXT") || c.accept("SPATIAL")) {
            // accepted and ignored, as MySQL's MyISAM does: skip to the end of the element
            while (!c.atEnd() && !c.peek().isSymbol(",") && !c.peek().isSymbol(")")) {
                if (c.peek().isSymbol("(")) {
                    c.skipParenthesized();
                } else {
                    c.next();
                }
            }
            return;
        }
        boolean unique = c.accept("UNIQUE");
        if (!c.accept("KEY")) {
            c.accept("INDEX");
        }
        String name = null;
        if (c.peek() != null && c.peek().identifier() != null && !c.peek().is("USING")) {
            name = c.identifier();
        }
        skipIndexType(c);
        List<IndexColumn> cols = indexColumns(c);
        skipIndexType(c);
        indexes.add(new IndexSpec(name, cols, unique));
    }

    private static void skipIndexType(TokenCursor c) {
        while (true) {
            if (c.accept("USING")) {
                c.next();
            } else if (c.accept("COMMENT")) {
                c.next();
            } else if (c.accept("KEY_BLOCK_SIZE")) {
                c.acceptSymbol("=");
                c.next();
            } else if (c.accept("VISIBLE") || c.accept("INVISIBLE")) {
                continue;
            } else {
                return;
            }
        }
    }

    private static List<IndexColumn> indexColumns(TokenCursor c) {
        c.expectSymbol("(");
        List<IndexColumn> cols = new ArrayList<>();
        do {
            String col = c.identifier();
            if (c.peek() != null && c.peek().isSymbol("(")) {
                c.skipParenthesized(); // prefix length: the whole value is indexed
            }
            boolean desc = c.accept("DESC");
            if (!desc) {
                c.accept("ASC");
            }
            cols.add(new IndexColumn(col, desc));
        } while (c.acceptSymbol(","));
        c.expectSymbol(")");
        return cols;
    }

    private static ColumnDefinition column(TokenCursor c, List<String> pk, List<IndexSpec> indexes) {
        String name = c.identifier();
        SqlType type = type(c);
        if ((type.base() == DataType.DATETIME || type.base() == DataType.TIMESTAMP || type.base() == DataType.TIME)
                && type.length() > 6) {
            throw new io.cairn.sql.SqlException(MysqlError.TOO_BIG_PRECISION, (int) type.length(), name);
        }
        boolean nullable = true;
        DefaultKind dk = DefaultKind.NONE;
        String dt = null;
        boolean autoIncrement = false;
        boolean onUpdate = false;
        while (!c.atEnd() && !c.peek().isSymbol(",") && !c.peek().isSymbol(")")) {
            if (c.acceptAll("NOT", "NULL")) {
                nullable = false;
            } else if (c.accept("NULL")) {
                nullable = true;
            } else if (c.accept("DEFAULT")) {
                Token v = c.next();
                if (v.is("NULL")) {
                    dk = DefaultKind.NULL;
                } else if (v.is("CURRENT_TIMESTAMP") || v.is("NOW") || v.is("LOCALTIMESTAMP")) {
                    if (c.peek() != null && c.peek().isSymbol("(")) {
                        c.skipParenthesized();
                    }
                    dk = DefaultKind.CURRENT_TIMESTAMP;
                } else if (v.isSymbol("-") || v.isSymbol("+")) {
                    Token num = c.next();
                    dk = DefaultKind.LITERAL;
                    dt = (v.isSymbol("-") ? "-" : "") + num.text();
                } else if (v.isSymbol("(")) {
                    c.reset(c.position() - 1);
                    int from = c.position() + 1;
                    c.skipParenthesized();
                    dk = DefaultKind.LITERAL;
                    dt = c.tokens().get(from).text();
                } else if (v.type() == Token.Type.HEX) {
                    dk = DefaultKind.LITERAL;
                    dt = new String(java.util.HexFormat.of().parseHex(v.text().length() % 2 == 1 ? "0" + v.text() : v.text()),
                            java.nio.charset.StandardCharsets.ISO_8859_1);
                } else if (v.is("TRUE") || v.is("FALSE")) {
                    dk = DefaultKind.LITERAL;
                    dt = v.is("TRUE") ? "1" : "0";
                } else {
                    dk = DefaultKind.LITERAL;
                    dt = v.text();
                }
            } else if (c.accept("AUTO_INCREMENT")) {
                autoIncrement = true;
            } else if (c.acceptAll("PRIMARY", "KEY") || c.accept("KEY")) {
                if (!pk.contains(name)) {
                    if (!pk.isEmpty()) {
                        throw new io.cairn.sql.SqlException(MysqlError.MULTIPLE_PRI_KEY);
                    }
                    pk.add(name);
                }
                nullable = false;
            } else if (c.accept("UNIQUE")) {
                c.accept("KEY");
                indexes.add(new IndexSpec(name, List.of(new IndexColumn(name, false)), true));
            } else if (c.accept("COMMENT")) {
                c.next();
            } else if (c.acceptAll("ON", "UPDATE")) {
                onUpdate(c, name, type);
                onUpdate = true;
            } else if (c.accept("COLLATE")) {
                c.next();
            } else if (c.accept("CHARACTER") || c.accept("CHARSET")) {
                c.accept("SET");
                c.next();
            } else if (c.accept("COLUMN_FORMAT") || c.accept("STORAGE")) {
                c.next();
            } else if (c.accept("CHECK")) {
                c.skipParenthesized();
            } else if (c.accept("VISIBLE") || c.accept("INVISIBLE")) {
                continue;
            } else if (c.accept("REFERENCES")) {
                name(c);
                if (c.peek() != null && c.peek().isSymbol("(")) {
                    c.skipParenthesized();
                }
            } else {
                throw c.error();
            }
        }
        return new ColumnDefinition(name, type, nullable, dk, dt, autoIncrement, onUpdate);
    }

    /**
     * The rest of {@code ON UPDATE CURRENT_TIMESTAMP[(n)]} (or NOW(n), LOCALTIME[STAMP][(n)]). As MariaDB: only a
     * DATETIME/TIMESTAMP column takes it, and n below the column's digits is 1294; a larger n is the column's.
     */
    private static void onUpdate(TokenCursor c, String column, SqlType type) {
        Token v = c.next();
        if (!(v.is("CURRENT_TIMESTAMP") || v.is("NOW") || v.is("LOCALTIME") || v.is("LOCALTIMESTAMP"))) {
            throw c.error();
        }
        long digits = 0;
        if (c.acceptSymbol("(")) {
            if (!c.acceptSymbol(")")) {
                Token n = c.next();
                if (n.type() != Token.Type.NUMBER) {
                    throw c.error();
                }
                digits = Long.parseLong(n.text());
                c.expectSymbol(")");
            }
        } else if (v.is("NOW")) {
            throw c.error();
        }
        if ((type.base() != DataType.DATETIME && type.base() != DataType.TIMESTAMP) || digits < type.fsp()) {
            throw new io.cairn.sql.SqlException(MysqlError.INVALID_ON_UPDATE, column);
        }
    }

    /** A MySQL column type with its length, scale, UNSIGNED/ZEROFILL and charset attributes. */
    static SqlType type(TokenCursor c) {
        Token t = c.next();
        String kw = t.keyword();
        DataType base = switch (kw) {
            case "TINYINT", "INT1" -> DataType.TINYINT;
            case "SMALLINT", "INT2" -> DataType.SMALLINT;
            case "MEDIUMINT", "INT3" -> DataType.MEDIUMINT;
            case "INT", "INTEGER", "INT4" -> DataType.INT;
            case "BIGINT", "INT8" -> DataType.BIGINT;
            case "BOOL", "BOOLEAN" -> DataType.BOOLEAN;
            case "BIT" -> DataType.BIGINT;
            case "YEAR" -> DataType.YEAR;
            case "DECIMAL", "DEC", "NUMERIC", "FIXED" -> DataType.DECIMAL;
            case "FLOAT", "FLOAT4" -> DataType.FLOAT;
            case "DOUBLE", "REAL", "FLOAT8" -> DataType.DOUBLE;
            case "CHAR", "CHARACTER", "NCHAR" -> DataType.CHAR;
            case "VARCHAR", "NVARCHAR", "VARCHARACTER" -> DataType.VARCHAR;
            case "TINYTEXT" -> DataType.TINYTEXT;
            case "TEXT", "JSON", "ENUM", "SET" -> DataType.TEXT;
            case "MEDIUMTEXT", "LONG" -> DataType.MEDIUMTEXT;
            case "LONGTEXT" -> DataType.LONGTEXT;
            case "BINARY" -> DataType.BINARY;
            case "VARBINARY" -> DataType.VARBINARY;
            case "TINYBLOB" -> DataType.TINYBLOB;
            case "BLOB" -> DataType.BLOB;
            case "MEDIUMBLOB" -> DataType.MEDIUMBLOB;
            case "LONGBLOB" -> DataType.LONGBLOB;
            case "DATE" -> DataType.DATE;
            case "DATETIME" -> DataType.DATETIME;
            case "TIMESTAMP" -> DataType.TIMESTAMP;
            case "TIME" -> DataType.TIME;
            default -> throw c.error();
        };
        if (base == DataType.DOUBLE) {
            c.accept("PRECISION");
        }
        if ((kw.equals("CHARACTER") || kw.equals("CHAR")) && c.accept("VARYING")) {
            base = DataType.VARCHAR;
        }
        long length = 0;
        int scale = 0;
        if (c.peek() != null && c.peek().isSymbol("(")) {
            if (kw.equals("ENUM") || kw.equals("SET")) {
                c.skipParenthesized();
            } else {
                c.expectSymbol("(");
                length = Long.parseLong(c.next().text());
                if (c.acceptSymbol(",")) {
                    scale = Integer.parseInt(c.next().text());
                }
                c.expectSymbol(")");
            }
        }
        if (base == DataType.TINYINT && length == 1) {
            base = DataType.BOOLEAN;
        }
        if (base.isInteger()) {
            length = 0; // display width is deprecated and ignored
        }
        if (base == DataType.FLOAT && length > 24) {
            base = DataType.DOUBLE;
        }
        if (base == DataType.FLOAT || base == DataType.DOUBLE) {
            length = scale == 0 ? 0 : length;
        }
        if (base == DataType.DECIMAL && length == 0) {
            length = 10;
        }
        if ((base == DataType.VARCHAR || base == DataType.VARBINARY) && length == 0) {
            throw c.error();
        }
        boolean unsigned = false;
        while (true) {
            if (c.accept("UNSIGNED")) {
                unsigned = true;
            } else if (c.accept("SIGNED") || c.accept("ZEROFILL") || c.accept("BINARY")) {
                continue;
            } else if (c.accept("CHARACTER") || c.accept("CHARSET")) {
                c.accept("SET");
                c.next();
            } else if (c.accept("COLLATE")) {
                c.next();
            } else {
                break;
            }
        }
        return new SqlType(base, length, scale, unsigned);
    }

    private static void skipOptions(TokenCursor c) {
        // table and database options (ENGINE=…, DEFAULT CHARSET=…, AUTO_INCREMENT=…, COMMENT=…): accepted, ignored
        while (!c.atEnd()) {
            Token t = c.next();
            if (t.is("SELECT") || t.is("AS")) {
                throw new io.cairn.sql.SqlException(MysqlError.NOT_SUPPORTED_YET,
                        "CREATE TABLE ... SELECT");
            }
            if (t.type() == Token.Type.WORD && t.text().toUpperCase(Locale.ROOT).equals("ENGINE")) {
                c.acceptSymbol("=");
                c.next();
            }
        }
    }
}
