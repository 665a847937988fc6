package io.cairn.sql.plan;

import io.cairn.sql.catalog.Catalog;
import io.cairn.sql.catalog.TableDefinition;
import io.cairn.sql.exec.CairnTable;
import java.util.HashMap;
import java.util.Map;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

/**
 * Calcite schemas over a catalog snapshot: one sub-schema per database holding its base tables
 * (views are inlined before validation), plus {@code information_schema}. The result depends only
 * on the catalog, so it is built once per catalog version and shared (see {@link SchemaCache}).
 */
public final class CatalogSchemas {
    private CatalogSchemas() {
    }

    /**
     * @param withRowKey whether tables expose {@link CairnTable#ROW_KEY} (for UPDATE/DELETE scans)
     */
    public static SchemaPlus build(Catalog catalog, boolean withRowKey) {
        SchemaPlus root = CalciteSchema.createRootSchema(false, false).plus();
        for (String db : catalog.databases()) {
            Map<String, Table> tables = new HashMap<>();
            for (TableDefinition t : catalog.tables(db)) {
                if (!t.isView()) {
                    tables.put(t.name(), new CairnTable(t, withRowKey));
                }
            }
            root.add(db, new AbstractSchema() {
                @Override
                protected Map<String, Table> getTableMap() {
                    return tables;
                }
            });
        }
        root.add(InformationSchema.NAME, new InformationSchema(catalog));
        return root;
    }
}
