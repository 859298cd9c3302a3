package vn.hotline.ivr.triage;

/**
 * What the caller agreed to; {@code null} means the question was not asked.
 *
 * @param contactSchool may we contact the child's school (bullying)
 * @param shareWithPolice may we share details with the police (sexual exploitation, scams)
 * @param callBackSafe is a call-back on this number safe (the phone may be an abuser's)
 */
public record Consents(Boolean contactSchool, Boolean shareWithPolice, Boolean callBackSafe) {

    /** Nothing asked yet. */
    public static final Consents NONE = new Consents(null, null, null);

    public Consents withContactSchool(boolean value) {
        return new Consents(value, shareWithPolice, callBackSafe);
    }

    public Consents withShareWithPolice(boolean value) {
        return new Consents(contactSchool, value, callBackSafe);
    }

    public Consents withCallBackSafe(boolean value) {
        return new Consents(contactSchool, shareWithPolice, value);
    }
}
