package vn.hotline.gateway.channel.asterisk.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The messages of an {@code ami*.txt} recording (shared fixtures, README: {@code << } from Asterisk, {@code >> } from the
 * client, every line with its {@code \r\n}, every message ending in an empty line), as blocks of wire text.
 */
public final class AmiRecording {

    /**
     * Where the recorded fixtures live: outside the repository, in the {@code shared/} folder beside it (tests run in
     * {@code gateway/}, so {@code ../../shared}); {@code -Dhotline.fixtures} names another place.
     */
    public static final Path FIXTURES = Path.of(System.getProperty("hotline.fixtures",
            Path.of("..", "..", "shared", "fixtures", "asterisk").toAbsolutePath().normalize().toString()));

    private final List<AmiMessage> messages;

    private AmiRecording(List<AmiMessage> messages) {
        this.messages = List.copyOf(messages);
    }

    public static AmiRecording load(String relative) {
        Path file = FIXTURES.resolve(relative);
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** Parses recorded text; only messages from Asterisk ({@code << }) are kept. The banner line is not a message. */
    public static AmiRecording parse(String text) {
        List<AmiMessage> out = new ArrayList<>();
        StringBuilder block = new StringBuilder();
        for (String line : text.split("(?<=\n)")) {
            if (!line.startsWith("<< ")) {
                continue;
            }
            String wire = line.substring(3);
            if (wire.startsWith("Asterisk Call Manager/")) {
                continue;
            }
            if (wire.equals("\r\n")) {
                if (block.length() > 0) {
                    out.add(new AmiMessage(block.toString()));
                    block.setLength(0);
                }
            } else {
                block.append(wire);
            }
        }
        return new AmiRecording(out);
    }

    public static AmiRecording of(List<AmiMessage> messages) {
        return new AmiRecording(messages);
    }

    /** The event blocks (a block whose first header is {@code Event:}; an OriginateResponse also has {@code Response:}). */
    public List<AmiMessage> events() {
        return messages.stream().filter(m -> m.event() != null).toList();
    }

    public AmiRecording filter(Predicate<AmiMessage> keep) {
        return new AmiRecording(messages.stream().filter(keep).toList());
    }

    /** The same text with every occurrence of each key replaced (a recording made to stand for another call). */
    public AmiRecording rewrite(Map<String, String> replacements) {
        return new AmiRecording(messages.stream().map(m -> m.rewrite(replacements)).toList());
    }

    public List<AmiMessage> messages() {
        return messages;
    }

    /** One message as wire text without its terminating empty line. */
    public record AmiMessage(String text) {

        /** The value of the first header with this name, or null. */
        public String header(String name) {
            for (String line : text.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }

        public String event() {
            String first = text.substring(0, Math.max(0, text.indexOf("\r\n")));
            return first.startsWith("Event:") ? first.substring(6).strip() : null;
        }

        /** The same message with header values replaced where a value equals a key (whole values only). */
        public AmiMessage withValues(Map<String, String> values) {
            StringBuilder b = new StringBuilder();
            for (String line : text.split("\r\n")) {
                int colon = line.indexOf(": ");
                String value = colon > 0 ? line.substring(colon + 2) : null;
                b.append(value != null && values.containsKey(value) ? line.substring(0, colon + 2) + values.get(value) : line).append("\r\n");
            }
            return new AmiMessage(b.toString());
        }

        /** The same message with its {@code Timestamp} moved by this many microseconds. */
        public AmiMessage shifted(long micros) {
            String ts = header("Timestamp");
            if (ts == null) {
                return this;
            }
            java.math.BigDecimal moved = new java.math.BigDecimal(ts).add(java.math.BigDecimal.valueOf(micros, 6));
            return new AmiMessage(text.replace("Timestamp: " + ts + "\r\n", "Timestamp: " + moved.toPlainString() + "\r\n"));
        }

        public AmiMessage rewrite(Map<String, String> replacements) {
            String t = text;
            for (Map.Entry<String, String> r : replacements.entrySet()) {
                t = t.replace(r.getKey(), r.getValue());
            }
            return new AmiMessage(t);
        }

        /** Wire form: the headers, then the empty line that ends a message. */
        public String wire() {
            return text + "\r\n";
        }
    }
}
