package vn.hotline.ivr.triage;

/** The child's age band, as a caller can tell it on a keypad. */
public enum AgeBand {
    UNDER_6("UNDER_6"),
    AGE_6_10("6_10"),
    AGE_11_15("11_15"),
    AGE_16_17("16_17"),
    UNKNOWN("UNKNOWN");

    private final String code;

    AgeBand(String code) {
        this.code = code;
    }

    /** The stable code stored in the database and used in flows ({@code 6_10}, ...). */
    public String code() {
        return code;
    }

    /** The band with this code. */
    public static AgeBand fromCode(String code) {
        for (AgeBand band : values()) {
            if (band.code.equals(code) || band.name().equals(code)) {
                return band;
            }
        }
        throw new IllegalArgumentException("unknown age band: " + code);
    }
}
