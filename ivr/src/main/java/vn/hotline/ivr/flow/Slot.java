package vn.hotline.ivr.flow;

import java.util.Locale;
import vn.hotline.ivr.triage.AgeBand;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.ReporterRole;
import vn.hotline.ivr.triage.Urgency;

/** One answer a flow can collect; its {@link #jsonName()} is how flow files and keyword tables name it. */
public enum Slot {
    URGENCY("urgency"),
    CATEGORY("category"),
    REPORTER_ROLE("reporterRole"),
    AGE_BAND("ageBand"),
    FORMER_DISTRICT("formerDistrict"),
    CONTACT_SCHOOL("contactSchool"),
    SHARE_WITH_POLICE("shareWithPolice"),
    CALL_BACK_SAFE("callBackSafe");

    private final String jsonName;

    Slot(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name used in flow files ({@code ageBand}, ...). */
    public String jsonName() {
        return jsonName;
    }

    /** The slot a flow file names, or {@code null} when there is none. */
    public static Slot byJsonName(String name) {
        for (Slot slot : values()) {
            if (slot.jsonName.equals(name)) {
                return slot;
            }
        }
        return null;
    }

    /** The typed value of this slot written as text in a flow file; {@link IllegalArgumentException} when invalid. */
    public Object parse(String text) {
        return switch (this) {
            case URGENCY -> Urgency.valueOf(text);
            case CATEGORY -> Category.valueOf(text);
            case REPORTER_ROLE -> ReporterRole.valueOf(text);
            case AGE_BAND -> AgeBand.fromCode(text);
            case FORMER_DISTRICT -> parseDistrict(text);
            case CONTACT_SCHOOL, SHARE_WITH_POLICE, CALL_BACK_SAFE -> parseBoolean(text);
        };
    }

    /** This slot's value in {@code answers}, or {@code null} when not known. */
    public Object of(Answers answers) {
        return switch (this) {
            case URGENCY -> answers.urgency();
            case CATEGORY -> answers.category();
            case REPORTER_ROLE -> answers.reporterRole();
            case AGE_BAND -> answers.ageBand();
            case FORMER_DISTRICT -> answers.formerDistrict();
            case CONTACT_SCHOOL -> answers.contactSchool();
            case SHARE_WITH_POLICE -> answers.shareWithPolice();
            case CALL_BACK_SAFE -> answers.callBackSafe();
        };
    }

    private static String parseDistrict(String text) {
        if (text.length() != 3 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("a former district is a 3-digit GSO code, not '" + text + "'");
        }
        return text;
    }

    private static Boolean parseBoolean(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("expected true or false, not '" + text + "'");
        };
    }
}
