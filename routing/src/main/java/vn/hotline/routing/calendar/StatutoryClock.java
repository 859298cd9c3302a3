package vn.hotline.routing.calendar;

/** The statutory clocks of Decree 56/2017/NĐ-CP that start when a report is received. */
public enum StatutoryClock {
    /** Emergency protection measures within 12 hours of receiving the report (Art. 26, 31). */
    EMERGENCY_PROTECTION_12H("Decree 56/2017/NĐ-CP Art. 26, 31: emergency protection within 12 hours"),
    /** A support plan within 5 working days (Art. 28). */
    SUPPORT_PLAN_5_WORKING_DAYS("Decree 56/2017/NĐ-CP Art. 28: support plan within 5 working days");

    private final String legalBasis;

    StatutoryClock(String legalBasis) {
        this.legalBasis = legalBasis;
    }

    /** The provision this clock follows, for the log and the console. */
    public String legalBasis() {
        return legalBasis;
    }
}
