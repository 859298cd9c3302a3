package vn.hotline.ivr.flow;

import java.util.List;
import vn.hotline.ivr.triage.Language;

/**
 * One choice of a menu.
 *
 * @param key the digits that choose it
 * @param words normalised words that choose it in a text conversation (see {@code TextNormalizer})
 * @param set the answers it records
 * @param language the language it switches to, or {@code null}
 * @param next the node that follows
 */
public record MenuOption(String key, List<String> words, Answers set, Language language, String next) {

    public MenuOption {
        words = List.copyOf(words);
    }

    /** True when choosing it records nothing and only moves on (it leads to a submenu). */
    public boolean onlyNavigates() {
        return set.knowsNothing() && language == null;
    }
}
