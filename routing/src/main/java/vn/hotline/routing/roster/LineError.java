package vn.hotline.routing.roster;

import java.util.Objects;

/**
 * One rejected line of a roster import.
 *
 * @param file which CSV ({@code officers} or {@code shifts})
 * @param line the 1-based line number (the header is line 1)
 * @param message what is wrong, naming the column
 */
public record LineError(String file, int line, String message) {

    public LineError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }
}
