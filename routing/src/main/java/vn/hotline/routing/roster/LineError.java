package vn.hotline.routing.roster;

import java.text.MessageFormat;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One rejected line of a roster import: what is wrong as a code with its arguments, which the console says in the
 * reader's language, and in English for the API and the logs.
 *
 * @param file which CSV ({@code officers} or {@code shifts})
 * @param line the 1-based line number (the header is line 1)
 * @param code what is wrong
 * @param args the values the message names (a column, a value, an officer), in the order of the code's message
 * @param message the English message
 */
public record LineError(String file, int line, Code code, List<String> args, String message) {

    /** What can be wrong with a line, each with its English message. */
    public enum Code {
        CSV_SYNTAX("{0}"),
        HEADER_MISSING("missing header: expected {0}"),
        HEADER_WRONG("header is {0}, expected {1}"),
        COLUMNS("expected {0} columns, found {1}"),
        OFFICER_ID_EMPTY("officer_id is empty"),
        OFFICER_ID_TWICE("officer_id {0} appears twice"),
        NAME_EMPTY("name is empty"),
        AREA_UNKNOWN("{0}: unknown area {1}"),
        SKILL_UNKNOWN("skills: unknown skill {0}"),
        PHONE_EMPTY("phone_ref is empty"),
        PHONE_NOT_A_NUMBER("officer {0} is new: phone_ref must be a phone number"),
        LANGUAGE_UNKNOWN("languages: unknown language {0}"),
        LANGUAGES_EMPTY("languages is empty"),
        SHIFT_OFFICER_UNKNOWN("officer_id {0} is not a valid line of the officers file"),
        ROLE_UNKNOWN("role: unknown role {0}, expected one of {1}"),
        AREA_REQUIRED("service_area is required for {0}"),
        AREA_FORBIDDEN("service_area must be empty for {0}"),
        AREA_NOT_COVERED("service_area {0} is not covered by officer {1}"),
        TIME_INVALID("{0}: {1} is not a local date-time like 2026-02-12T07:00"),
        TIME_ORDER("end {0} is not after start {1}");

        private final String english;

        Code(String english) {
            this.english = english;
        }
    }

    public LineError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(code, "code");
        args = List.copyOf(args);
        Objects.requireNonNull(message, "message");
    }

    /** The error of {@code code} on a line, its English message written from the code's pattern. */
    public static LineError of(String file, int line, Code code, String... args) {
        return new LineError(file, line, code, Arrays.asList(args),
                new MessageFormat(code.english, Locale.ROOT).format(args));
    }

    /** The argument at {@code index}, or empty: message catalogs take them one by one. */
    public String arg(int index) {
        return index < args.size() ? args.get(index) : "";
    }
}
