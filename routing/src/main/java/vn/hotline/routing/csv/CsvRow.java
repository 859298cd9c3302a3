package vn.hotline.routing.csv;

import java.util.List;

/**
 * One record of a CSV text.
 *
 * @param line the 1-based line number where the record starts (the header is line 1)
 * @param fields the unquoted field values
 */
public record CsvRow(int line, List<String> fields) {

    public CsvRow {
        fields = List.copyOf(fields);
    }
}
