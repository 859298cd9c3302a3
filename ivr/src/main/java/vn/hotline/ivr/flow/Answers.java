package vn.hotline.ivr.flow;

import java.util.Map;
import vn.hotline.ivr.triage.AgeBand;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.ReporterRole;
import vn.hotline.ivr.triage.Urgency;

/**
 * What the caller has told the flow so far, or what one menu option sets; {@code null} means not known.
 *
 * @param locationText where the child is, in the caller's own words (SMS); personal data
 */
public record Answers(
        Urgency urgency,
        Category category,
        ReporterRole reporterRole,
        AgeBand ageBand,
        String formerDistrict,
        String locationText,
        Boolean contactSchool,
        Boolean shareWithPolice,
        Boolean callBackSafe) {

    private static final Slot[] SLOTS = Slot.values();

    /** Nothing known. */
    public static final Answers NONE = new Answers(null, null, null, null, null, null, null, null, null);

    /** The answers a flow file's {@code set} object names. */
    static Answers of(Map<Slot, Object> values) {
        return new Answers(
                (Urgency) values.get(Slot.URGENCY),
                (Category) values.get(Slot.CATEGORY),
                (ReporterRole) values.get(Slot.REPORTER_ROLE),
                (AgeBand) values.get(Slot.AGE_BAND),
                (String) values.get(Slot.FORMER_DISTRICT),
                null,
                (Boolean) values.get(Slot.CONTACT_SCHOOL),
                (Boolean) values.get(Slot.SHARE_WITH_POLICE),
                (Boolean) values.get(Slot.CALL_BACK_SAFE));
    }

    /** True when nothing is known. */
    public boolean knowsNothing() {
        return equals(NONE);
    }

    /** These answers with every value that {@code update} knows written over them. */
    public Answers with(Answers update) {
        return new Answers(
                pick(update.urgency, urgency),
                pick(update.category, category),
                pick(update.reporterRole, reporterRole),
                pick(update.ageBand, ageBand),
                pick(update.formerDistrict, formerDistrict),
                pick(update.locationText, locationText),
                pick(update.contactSchool, contactSchool),
                pick(update.shareWithPolice, shareWithPolice),
                pick(update.callBackSafe, callBackSafe));
    }

    /** These answers with their gaps filled from {@code facts}: what the caller already answered wins. */
    public Answers fillFrom(Answers facts) {
        return facts.with(this);
    }

    /** These answers with a free-text location. */
    public Answers withLocationText(String text) {
        return new Answers(urgency, category, reporterRole, ageBand, formerDistrict, text, contactSchool,
                shareWithPolice, callBackSafe);
    }

    /** These answers with the call-back consent set. */
    public Answers withCallBackSafe(boolean value) {
        return new Answers(urgency, category, reporterRole, ageBand, formerDistrict, locationText, contactSchool,
                shareWithPolice, value);
    }

    /**
     * Whether what is known already answers the way {@code set} would: no known value contradicts it and at
     * least one matches. This lets a text conversation skip questions the caller answered unprompted.
     */
    public boolean agreesWith(Answers set) {
        int matches = 0;
        for (Slot slot : SLOTS) {
            Object wanted = slot.of(set);
            if (wanted == null) {
                continue;
            }
            Object known = slot.of(this);
            if (known == null) {
                continue;
            }
            if (!known.equals(wanted)) {
                return false;
            }
            matches++;
        }
        return matches > 0;
    }

    private static <T> T pick(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }
}
