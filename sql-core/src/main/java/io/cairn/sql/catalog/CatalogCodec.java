package io.cairn.sql.catalog;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a {@link TableDefinition}: a format version byte, then fields in declaration
 * order with {@link DataOutputStream} primitives. Format 2 adds a view's definer and SQL SECURITY
 * after its SELECT; format 3 whether each index is still being built; format 4 whether the table's rows
 * hold DATETIME/TIMESTAMP values in milliseconds (tables of formats 1–3 do: {@link
 * TableDefinition#millisTemporals()}), tables created since in microseconds; format 5 each column's ON UPDATE
 * CURRENT_TIMESTAMP (older rows have none: the clause was accepted but not kept). Rows of formats 1–4 are still
 * read. Stateless and thread-safe.
 */
final class CatalogCodec {
    private static final int FORMAT_1 = 1;
    private static final int FORMAT_2 = 2;
    private static final int FORMAT_3 = 3;
    private static final int FORMAT_4 = 4;
    private static final int FORMAT = 5;

    private CatalogCodec() {
    }

    static byte[] encode(TableDefinition t) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeLong(t.id());
            out.writeUTF(t.database());
            out.writeUTF(t.name());
            out.writeInt(t.columns().size());
            for (ColumnDefinition c : t.columns()) {
                out.writeUTF(c.name());
                out.writeUTF(c.type().base().name());
                out.writeLong(c.type().length());
                out.writeInt(c.type().scale());
                out.writeBoolean(c.type().unsigned());
                out.writeBoolean(c.nullable());
                out.writeUTF(c.defaultKind().name());
                writeNullable(out, c.defaultText());
                out.writeBoolean(c.autoIncrement());
                out.writeBoolean(c.onUpdateCurrentTimestamp());
            }
            writeStrings(out, t.primaryKey());
            out.writeInt(t.indexes().size());
            for (IndexDefinition ix : t.indexes()) {
                out.writeLong(ix.id());
                out.writeUTF(ix.name());
                writeStrings(out, ix.columns());
                for (boolean d : ix.descending()) {
                    out.writeBoolean(d);
                }
                out.writeBoolean(ix.unique());
                out.writeBoolean(ix.building());
            }
            writeNullable(out, t.viewSql());
            out.writeBoolean(t.security() != null);
            if (t.security() != null) {
                out.writeUTF(t.security().definerUser());
                out.writeUTF(t.security().definerHost());
                out.writeBoolean(t.security().invoker());
            }
            out.writeBoolean(t.millisTemporals());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static TableDefinition decode(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            int format = in.readByte();
            if (format < FORMAT_1 || format > FORMAT) {
                throw new IllegalStateException("unknown catalog row format " + format);
            }
            long id = in.readLong();
            String db = in.readUTF();
            String name = in.readUTF();
            int n = in.readInt();
            List<ColumnDefinition> columns = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String cn = in.readUTF();
                SqlType type = new SqlType(DataType.valueOf(in.readUTF()), in.readLong(), in.readInt(), in.readBoolean());
                boolean nullable = in.readBoolean();
                ColumnDefinition.DefaultKind dk = ColumnDefinition.DefaultKind.valueOf(in.readUTF());
                String dt = readNullable(in);
                boolean autoIncrement = in.readBoolean();
                columns.add(new ColumnDefinition(cn, type, nullable, dk, dt, autoIncrement, format >= FORMAT && in.readBoolean()));
            }
            List<String> pk = readStrings(in);
            int ni = in.readInt();
            List<IndexDefinition> indexes = new ArrayList<>(ni);
            for (int i = 0; i < ni; i++) {
                long ixId = in.readLong();
                String ixName = in.readUTF();
                List<String> cols = readStrings(in);
                List<Boolean> desc = new ArrayList<>();
                for (int k = 0; k < cols.size(); k++) {
                    desc.add(in.readBoolean());
                }
                boolean unique = in.readBoolean();
                indexes.add(new IndexDefinition(ixId, ixName, cols, desc, unique, format >= FORMAT_3 && in.readBoolean()));
            }
            String view = readNullable(in);
            TableDefinition.ViewSecurity security = format != FORMAT_1 && in.readBoolean()
                    ? new TableDefinition.ViewSecurity(in.readUTF(), in.readUTF(), in.readBoolean()) : null;
            boolean millisTemporals = format < FORMAT_4 || in.readBoolean();
            return new TableDefinition(id, db, name, columns, pk, indexes, view, security, millisTemporals);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeStrings(DataOutputStream out, List<String> l) throws IOException {
        out.writeInt(l.size());
        for (String s : l) {
            out.writeUTF(s);
        }
    }

    private static List<String> readStrings(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<String> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(in.readUTF());
        }
        return l;
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            // writeUTF is limited to 64 KiB; view texts may be longer
            byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
}
