package vn.hotline.routing.csv;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * RFC 4180 CSV through Apache Commons CSV, keeping the line number each record starts on so that import errors can
 * name it. Blank lines are skipped; a leading byte-order mark is ignored.
 */
public final class Csv {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setIgnoreEmptyLines(true)
            .setRecordSeparator("\n")
            .get();

    private Csv() {
    }

    /**
     * The records of {@code text}, header included, each with the line number it starts on.
     *
     * @throws CsvSyntaxException when a quoted field never ends, naming the line it starts on
     */
    public static List<CsvRow> read(String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<CsvRow> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(body)).setFormat(FORMAT).get()) {
            try {
                for (CSVRecord record : parser) {
                    List<String> fields = record.toList();
                    if (fields.size() == 1 && fields.get(0).isBlank()) {
                        continue;
                    }
                    rows.add(new CsvRow(startLine(parser, fields), fields));
                }
            } catch (UncheckedIOException e) {
                int line = rows.isEmpty() ? 1 : rows.get(rows.size() - 1).line() + 1;
                throw new CsvSyntaxException(line, "unterminated quoted field from line " + line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /**
     * The parser stands on the line after the record's terminator; the record began as many lines earlier as it spans
     * (one, plus one per line break inside quoted values).
     */
    private static int startLine(CSVParser parser, List<String> fields) {
        long breaks = fields.stream().mapToLong(f -> f.chars().filter(c -> c == '\n').count()).sum();
        return (int) (parser.getCurrentLineNumber() - breaks);
    }

    /** One CSV line (without the line break), quoting fields that need it; see {@link #line(Object...)}. */
    public static String line(List<String> fields) {
        return line(fields.toArray());
    }

    /**
     * One CSV line (without the line break), quoting fields that need it. A text cell that a spreadsheet would read as
     * a formula (starting with {@code = + - @}, a tab or a carriage return) gets a leading {@code '}, so an imported
     * {@code =HYPERLINK(...)} reaches a supervisor's spreadsheet as text (OWASP, CSV injection). Numbers stay numbers.
     */
    public static String line(Object... fields) {
        Object[] safe = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            safe[i] = fields[i] instanceof CharSequence text ? neutralised(text.toString()) : fields[i];
        }
        return FORMAT.format(safe);
    }

    static String neutralised(String cell) {
        if (!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0) {
            return "'" + cell;
        }
        return cell;
    }
}
