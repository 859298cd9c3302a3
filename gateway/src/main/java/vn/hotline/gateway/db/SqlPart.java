package vn.hotline.gateway.db;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.r2dbc.core.Parameter;

/**
 * One data-modifying statement (an {@code INSERT}, {@code UPDATE} or {@code DELETE}) with its parameters, to be
 * written together with others as a single statement: each but the last becomes a {@code WITH} item, so the whole
 * change is one round trip and atomic without a transaction of its own. PostgreSQL runs every data-modifying
 * {@code WITH} item to completion, read or not, and checks foreign keys at the end of the statement, so a part may
 * refer to rows another part inserts. Parts of one statement may share a parameter only for the same value.
 *
 * @param sql the statement, with named parameters ({@code :name})
 * @param parameters the value of each parameter; a null is a {@link Parameter#empty(Class)} (see {@link #orNull})
 */
public record SqlPart(String sql, Map<String, Object> parameters) {

    /** A part that writes nothing: left out of the statement. */
    public static final SqlPart NONE = new SqlPart("", Map.of());

    public SqlPart {
        parameters = Map.copyOf(parameters);
    }

    /** True for {@link #NONE} and for rows with no row. */
    public boolean isEmpty() {
        return sql.isEmpty();
    }

    /** The value, or a typed null when empty: the driver needs the type of every null it binds. */
    public static Object orNull(Optional<?> value, Class<?> type) {
        return value.isPresent() ? value.get() : Parameter.empty(type);
    }

    /** A parameter map that takes nullable values with their type ({@link #orNull}). */
    public static Map<String, Object> values() {
        return new LinkedHashMap<>();
    }

    /** The parts as one statement (the empty ones left out); at least one part must write something. */
    public static GenericExecuteSpec together(DatabaseClient db, List<SqlPart> parts) {
        List<SqlPart> writing = parts.stream().filter(p -> !p.isEmpty()).toList();
        if (writing.isEmpty()) {
            throw new IllegalArgumentException("no part writes anything");
        }
        StringBuilder sql = new StringBuilder();
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < writing.size(); i++) {
            SqlPart part = writing.get(i);
            if (i < writing.size() - 1) {
                sql.append(i == 0 ? "WITH " : ",\n     ").append("part").append(i).append(" AS (").append(part.sql()).append(")\n");
            } else {
                sql.append(part.sql());
            }
            part.parameters().forEach((name, value) -> {
                Object before = values.putIfAbsent(name, value);
                if (before != null && !Objects.equals(before, value)) {
                    throw new IllegalArgumentException("two parts give :" + name + " different values");
                }
            });
        }
        // One map bound at once: binding one by one copies the bindings at every step.
        return db.sql(sql.toString()).bindValues(values);
    }

    /** {@link #together(DatabaseClient, List)} for parts at hand. */
    public static GenericExecuteSpec together(DatabaseClient db, SqlPart... parts) {
        return together(db, List.of(parts));
    }
}
