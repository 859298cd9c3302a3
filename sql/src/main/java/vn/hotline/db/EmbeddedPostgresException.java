package vn.hotline.db;

/** The embedded PostgreSQL could not start; the message is one line saying what to fix. */
public class EmbeddedPostgresException extends RuntimeException {

    public EmbeddedPostgresException(String message) {
        super(message);
    }

    public EmbeddedPostgresException(String message, Throwable cause) {
        super(message, cause);
    }
}
