package vn.hotline.routing.csv;

/** A CSV text that cannot be read past a line (an unterminated quote). */
public class CsvSyntaxException extends RuntimeException {

    private final int line;

    public CsvSyntaxException(int line, String message) {
        super(message);
        this.line = line;
    }

    /** The line where the unreadable record starts. */
    public int line() {
        return line;
    }
}
