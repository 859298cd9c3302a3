package vn.hotline.gateway.switchboard.internal;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import tools.jackson.databind.JsonNode;

/**
 * The one-paragraph summary a referral carries to 111's counsellor, from the message catalog
 * {@code switchboard/summary_<lang>.properties} (Vietnamese first, English second). Built from the referral's codes
 * only, so it never identifies a child or a caller.
 */
final class ReferralSummary {

    static final Locale VIETNAMESE = Locale.forLanguageTag("vi");

    private final ResourceBundle catalog;
    private final Locale locale;

    ReferralSummary(Locale locale) {
        this.locale = locale;
        this.catalog = ResourceBundle.getBundle("switchboard/summary", locale, ResourceBundle.Control.getNoFallbackControl(
                ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** The summary of a {@code referral.create} payload. */
    String render(JsonNode payload) {
        String unit = payload.path("unitCode").asString("");
        return new MessageFormat(catalog.getString("summary"), locale).format(new Object[] {
            payload.path("caseReference").asString(),
            text("category." + payload.path("category").asString()),
            text("urgency." + payload.path("urgency").asString()),
            text("age." + payload.path("ageBand").asString()),
            text("reporter." + payload.path("reporterRole").asString()),
            unit.isBlank() ? text("unit.none") : unit,
            text("hand-off." + payload.path("handOff").asString("API"))});
    }

    /** A catalog text, or the key itself should a new code arrive before its translation. */
    String text(String key) {
        try {
            return catalog.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
    }
}
