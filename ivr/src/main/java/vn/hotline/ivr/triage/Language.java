package vn.hotline.ivr.triage;

/** Languages the hotline speaks; Vietnamese first. */
public enum Language {
    VI("vi"),
    EN("en");

    private final String tag;

    Language(String tag) {
        this.tag = tag;
    }

    /** BCP 47 tag used by the prompt catalogs and the console. */
    public String tag() {
        return tag;
    }

    /** The language of a tag such as {@code vi} or {@code en-GB}; Vietnamese when unknown. */
    public static Language fromTag(String tag) {
        if (tag != null && tag.toLowerCase(java.util.Locale.ROOT).startsWith("en")) {
            return EN;
        }
        return VI;
    }
}
