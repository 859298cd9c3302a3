package vn.hotline.gateway.db.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** The single {@code postgresql://user:password@host:port/db?options} URL from which R2DBC and JDBC URLs derive. */
record DatabaseUrl(String host, int port, String database, String user, String password, String query) {

    static DatabaseUrl parse(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new DatabaseConfigurationException("HOTLINE_DB_URL is not a URL (" + e.getReason()
                    + "): use postgresql://user:password@host:5432/database");
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new DatabaseConfigurationException("HOTLINE_DB_URL must start with postgresql://, e.g. postgresql://user:password@host:5432/database");
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (uri.getHost() == null || path.isBlank()) {
            throw new DatabaseConfigurationException("HOTLINE_DB_URL needs a host and a database: postgresql://user:password@host:5432/database");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        if (user == null || user.isBlank()) {
            throw new DatabaseConfigurationException("HOTLINE_DB_URL needs a user: postgresql://user:password@host:5432/database");
        }
        return new DatabaseUrl(uri.getHost(), uri.getPort() == -1 ? 5432 : uri.getPort(), path, user, password,
                uri.getRawQuery());
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + (query == null ? "" : "?" + query);
    }

    String r2dbcUrl() {
        return "r2dbc:postgresql://" + host + ":" + port + "/" + database + (query == null ? "" : "?" + query);
    }

    /** For messages and logs: never the password. */
    String describe() {
        return user + "@" + host + ":" + port + "/" + database;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return describe();
    }
}
