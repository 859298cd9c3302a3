package vn.hotline.ivr.triage;

import java.util.Objects;

/**
 * Where the caller said the child is, exactly as said; routing resolves it to units valid on the report date.
 */
public sealed interface LocationHint {

    /** The caller did not say, or said they do not know. */
    record None() implements LocationHint {
    }

    /** A former district (the pre-2025 district-level code, e.g. {@code 550} for Tuy Phước). */
    record FormerDistrict(String code) implements LocationHint {
        public FormerDistrict {
            Objects.requireNonNull(code, "code");
        }
    }

    /** A commune-level unit code, e.g. from the 111 switchboard or the web form. */
    record Commune(String code) implements LocationHint {
        public Commune {
            Objects.requireNonNull(code, "code");
        }
    }

    /** Free text (SMS); personal data, encrypted wherever it is stored. */
    record FreeText(String text) implements LocationHint {
        public FreeText {
            Objects.requireNonNull(text, "text");
        }
    }

    /** The shared instance for "no location". */
    LocationHint NONE = new None();
}
