package vn.hotline.gateway.channel.asterisk.internal;

import org.asteriskjava.AsteriskVersion;
import org.asteriskjava.fastagi.command.AgiCommand;

/**
 * One AGI command line, written exactly as Asterisk-Java's own command classes write it, but quoted without a regular
 * expression. Their {@code escapeAndQuote} compiles three patterns and formats a string for every command: about
 * 110 KB of garbage per call on the reference path, a quarter of what an AGI thread allocated (ops/bench/README.md).
 */
final class AgiLine implements AgiCommand {

    static final AgiLine ANSWER = new AgiLine("ANSWER");
    static final AgiLine HANGUP = new AgiLine("HANGUP");

    private final String text;

    private AgiLine(String text) {
        this.text = text;
    }

    static AgiLine streamFile(String file, String escapeDigits) {
        return new AgiLine("STREAM FILE " + quoted(file) + " " + quoted(escapeDigits));
    }

    static AgiLine getData(String file, long timeoutMillis, int maxDigits) {
        return new AgiLine("GET DATA " + quoted(file) + " " + timeoutMillis + " " + maxDigits);
    }

    static AgiLine waitForDigit(long timeoutMillis) {
        return new AgiLine("WAIT FOR DIGIT " + timeoutMillis);
    }

    static AgiLine setVariable(String name, String value) {
        return new AgiLine("SET VARIABLE " + quoted(name) + " " + quoted(value));
    }

    @Override
    public String buildCommand() {
        return text;
    }

    @Override
    public void setAsteriskVersion(AsteriskVersion version) {
        // The same line for every Asterisk version this server supports.
    }

    /** The command without its arguments, for logs: a variable's value may be an officer's phone number. */
    String verb() {
        int quote = text.indexOf('"');
        return quote < 0 ? text : text.substring(0, quote).strip();
    }

    @Override
    public String toString() {
        return verb();
    }

    /** Asterisk-Java's quoting: backslashes and double quotes escaped, line feeds dropped, null as {@code ""}. */
    static String quoted(String value) {
        if (value == null) {
            return "\"\"";
        }
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\', '"' -> quoted.append('\\').append(c);
                case '\n' -> { }
                default -> quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
