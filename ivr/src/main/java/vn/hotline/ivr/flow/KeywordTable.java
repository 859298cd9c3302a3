package vn.hotline.ivr.flow;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import vn.hotline.ivr.text.TextNormalizer;
import vn.hotline.ivr.triage.AgeBand;
import vn.hotline.ivr.triage.Language;

/**
 * Matches free text (SMS) to answers through a data file of phrases (format in the module README). Phrases are
 * folded like the text, so a message with or without diacritics matches; the first matching line wins per slot.
 * Ages written as a number followed by {@code tuoi}/{@code years}/{@code yo} (or {@code 12t}) give the age band.
 */
public final class KeywordTable {

    /** The default table on the classpath. */
    public static final String DEFAULT_TABLE = "text/keywords.txt";

    private static final String HUMAN = "human";

    private record Entry(Slot slot, Object value, Language language, String phrase) {
    }

    private final List<Entry> entries;

    private KeywordTable(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Loads a table; {@link FlowException} names the file and line of a bad entry. */
    public static KeywordTable load(String resource) {
        try (InputStream in = KeywordTable.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new FlowException(resource + ": no such keyword table on the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<Entry> entries = new ArrayList<>();
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                String trimmed = line.strip();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    parseLine(resource, number, trimmed, entries);
                }
            }
            return new KeywordTable(entries);
        } catch (IOException e) {
            throw new FlowException(resource + ": cannot be read", e);
        }
    }

    private static void parseLine(String resource, int number, String line, List<Entry> entries) {
        String[] columns = line.split("\\|");
        String where = resource + " line " + number + ": ";
        if (columns.length != 4) {
            throw new FlowException(where + "expected 'slot | value | language | phrase, phrase'");
        }
        String slotName = columns[0].strip();
        Slot slot = HUMAN.equals(slotName) ? null : Slot.byJsonName(slotName);
        if (slot == null && !HUMAN.equals(slotName)) {
            throw new FlowException(where + "unknown slot '" + slotName + "'");
        }
        Object value;
        try {
            value = slot == null ? Boolean.TRUE : slot.parse(columns[1].strip());
        } catch (IllegalArgumentException e) {
            throw new FlowException(where + e.getMessage(), e);
        }
        Language language = Language.fromTag(columns[2].strip());
        for (String phrase : columns[3].split(",")) {
            String folded = TextNormalizer.normalise(phrase);
            if (folded.isEmpty()) {
                throw new FlowException(where + "empty phrase");
            }
            entries.add(new Entry(slot, value, language, folded));
        }
    }

    /** The facts in a message already folded by {@link TextNormalizer#normalise(String)}. */
    public Facts facts(String normalised) {
        if (normalised.isEmpty()) {
            return Facts.NONE;
        }
        String padded = " " + normalised + " ";
        Map<Slot, Object> values = new EnumMap<>(Slot.class);
        boolean human = false;
        boolean english = false;
        boolean vietnamese = false;
        for (Entry entry : entries) {
            if (!padded.contains(" " + entry.phrase() + " ")) {
                continue;
            }
            english |= entry.language() == Language.EN;
            vietnamese |= entry.language() == Language.VI;
            if (entry.slot() == null) {
                human = true;
            } else {
                values.putIfAbsent(entry.slot(), entry.value());
            }
        }
        AgeBand age = age(normalised);
        if (age != null) {
            values.putIfAbsent(Slot.AGE_BAND, age);
        }
        Language language = english && !vietnamese ? Language.EN : null;
        return new Facts(Answers.of(values), language, human);
    }

    private static AgeBand age(String normalised) {
        String[] tokens = normalised.split(" ");
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i];
            String digits = token.endsWith("t") ? token.substring(0, token.length() - 1) : token;
            boolean unitInToken = digits.length() != token.length();
            boolean unitNext = i + 1 < tokens.length && isAgeUnit(tokens[i + 1]);
            if (!digits.isEmpty() && digits.length() <= 2 && digits.chars().allMatch(Character::isDigit)
                    && (unitInToken || unitNext)) {
                return band(Integer.parseInt(digits));
            }
        }
        return null;
    }

    private static boolean isAgeUnit(String token) {
        return token.equals("tuoi") || token.equals("years") || token.equals("year") || token.equals("yo");
    }

    private static AgeBand band(int years) {
        if (years < 6) {
            return AgeBand.UNDER_6;
        }
        if (years <= 10) {
            return AgeBand.AGE_6_10;
        }
        if (years <= 15) {
            return AgeBand.AGE_11_15;
        }
        return years <= 17 ? AgeBand.AGE_16_17 : null;
    }
}
