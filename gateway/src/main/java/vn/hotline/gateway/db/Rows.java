package vn.hotline.gateway.db;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rows for one table as a single {@code INSERT ... VALUES} {@link SqlPart}, its parameters numbered after a prefix
 * ({@code :audit_0_action}) so that rows of several tables can share one statement. A null is given with its type,
 * as {@link SqlPart#orNull}.
 */
public final class Rows {

    private final String table;
    private final String prefix;
    private final List<String> columns;
    private final List<Object[]> rows = new ArrayList<>();
    private String suffix = "";

    private Rows(String table, String prefix, List<String> columns) {
        this.table = table;
        this.prefix = prefix;
        this.columns = columns;
    }

    /** Rows for {@code table}'s {@code columns}; {@code prefix} names their parameters, unique within a statement. */
    public static Rows into(String table, String prefix, String... columns) {
        return new Rows(table, prefix, List.of(columns));
    }

    /** Adds a row: one value per column, in the columns' order. */
    public Rows row(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(table + " takes " + columns.size() + " values, not " + values.length);
        }
        for (Object value : values) {
            if (value == null) {
                throw new IllegalArgumentException("a null for " + table + " needs its type: SqlPart.orNull");
            }
        }
        rows.add(values.clone());
        return this;
    }

    /** Rows whose key is already there are skipped ({@code ON CONFLICT (key) DO NOTHING}). */
    public Rows skipConflictsOn(String key) {
        this.suffix = " ON CONFLICT (" + key + ") DO NOTHING";
        return this;
    }

    /** The insert of all rows, or {@link SqlPart#NONE} when there is none. */
    public SqlPart part() {
        if (rows.isEmpty()) {
            return SqlPart.NONE;
        }
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (")
                .append(String.join(", ", columns)).append(") VALUES ");
        for (int r = 0; r < rows.size(); r++) {
            sql.append(r == 0 ? "(" : ", (");
            for (int c = 0; c < columns.size(); c++) {
                sql.append(c == 0 ? ":" : ", :").append(name(r, c));
            }
            sql.append(')');
        }
        sql.append(suffix);
        Map<String, Object> parameters = SqlPart.values();
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                parameters.put(name(r, c), rows.get(r)[c]);
            }
        }
        return new SqlPart(sql.toString(), parameters);
    }

    private String name(int row, int column) {
        return prefix + "_" + row + "_" + columns.get(column);
    }
}
