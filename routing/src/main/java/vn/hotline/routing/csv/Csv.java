package vn.hotline.routing.csv;

import java.util.ArrayList;
import java.util.List;

/** A small RFC 4180 reader and writer (commas, double quotes, quoted line breaks); blank lines are skipped. */
public final class Csv {

    private Csv() {
    }

    /** The records of {@code text}, header included, each with the line number it starts on. */
    public static List<CsvRow> read(String text) {
        List<CsvRow> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean blank = true;
        int line = 1;
        int start = 1;
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < body.length() && body.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                blank = false;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                blank = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < body.length() && body.charAt(i + 1) == '\n') {
                    i++;
                }
                if (!blank || field.length() > 0) {
                    fields.add(field.toString());
                    rows.add(new CsvRow(start, fields));
                }
                fields = new ArrayList<>();
                field.setLength(0);
                blank = true;
                line++;
                start = line;
            } else {
                field.append(c);
                blank = blank && Character.isWhitespace(c);
            }
        }
        if (!blank || field.length() > 0) {
            fields.add(field.toString());
            rows.add(new CsvRow(start, fields));
        }
        return rows;
    }

    /** One CSV line (without the line break), quoting fields that need it. */
    public static String line(List<String> fields) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String value = fields.get(i);
            if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
                out.append('"').append(value.replace("\"", "\"\"")).append('"');
            } else {
                out.append(value);
            }
        }
        return out.toString();
    }
}
