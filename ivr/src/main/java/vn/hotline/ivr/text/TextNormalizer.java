package vn.hotline.ivr.text;

import java.text.Normalizer;

/**
 * Folds free text for matching: lower case, Vietnamese diacritics removed ({@code bị bắt nạt} and
 * {@code bi bat nat} become the same), anything but letters and digits turned into single spaces.
 */
public final class TextNormalizer {

    /** Longest text looked at: three SMS segments; the rest of an over-long message is ignored. */
    public static final int MAX_CHARS = 480;

    private TextNormalizer() {
    }

    /** The folded form of {@code text}. */
    public static String normalise(String text) {
        String capped = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
        String decomposed = Normalizer.normalize(capped, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        boolean space = true;
        for (int i = 0; i < decomposed.length(); i++) {
            char c = fold(decomposed.charAt(i));
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                out.append(c);
                space = false;
            } else if (Character.getType(c) != Character.NON_SPACING_MARK && !space) {
                out.append(' ');
                space = true;
            }
        }
        int end = out.length();
        if (end > 0 && out.charAt(end - 1) == ' ') {
            out.setLength(end - 1);
        }
        return out.toString();
    }

    /** True when the folded text holds at least one letter. */
    public static boolean hasLetter(String normalised) {
        return normalised.chars().anyMatch(c -> c >= 'a' && c <= 'z');
    }

    private static char fold(char c) {
        if (c == 'đ' || c == 'Đ') {
            return 'd';
        }
        return c < 128 ? Character.toLowerCase(c) : c;
    }
}
