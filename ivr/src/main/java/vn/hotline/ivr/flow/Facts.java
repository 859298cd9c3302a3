package vn.hotline.ivr.flow;

import vn.hotline.ivr.triage.Language;

/**
 * What a free-text message says, as far as the keyword table can tell.
 *
 * @param answers the answers it gives
 * @param language the language it is written in, or {@code null} when it matched no English phrase
 * @param human whether it asks for a person
 */
public record Facts(Answers answers, Language language, boolean human) {

    /** A message that says nothing the table knows. */
    public static final Facts NONE = new Facts(Answers.NONE, null, false);
}
