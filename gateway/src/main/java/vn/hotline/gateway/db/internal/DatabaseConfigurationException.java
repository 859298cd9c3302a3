package vn.hotline.gateway.db.internal;

/** The database settings are wrong or the database cannot be reached; the message says what to fix. */
class DatabaseConfigurationException extends RuntimeException {

    DatabaseConfigurationException(String message) {
        super(message);
    }

    DatabaseConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
