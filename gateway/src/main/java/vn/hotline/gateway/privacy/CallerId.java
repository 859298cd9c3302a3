package vn.hotline.gateway.privacy;

import java.util.Objects;

/** Who called, as far as the network tells: a normalised number, a withheld number, or nothing usable. */
public sealed interface CallerId {

    /** A number in E.164 form ({@code +84912345678}). Personal data: never log it, store it only protected. */
    record Number(String e164, String masked) implements CallerId {
        public Number {
            Objects.requireNonNull(e164, "e164");
            Objects.requireNonNull(masked, "masked");
        }

        @Override
        public String toString() {
            return "Number[" + masked + "]";
        }
    }

    /** The caller withheld the number ({@code anonymous}, {@code restricted}, ...). */
    record Withheld() implements CallerId {
    }

    /** The network gave something that is not a phone number. */
    record Unknown() implements CallerId {
    }

    /** The stored kind: {@code NUMBER}, {@code WITHHELD} or {@code UNKNOWN}. */
    default String kind() {
        if (this instanceof Number) {
            return "NUMBER";
        }
        return this instanceof Withheld ? "WITHHELD" : "UNKNOWN";
    }
}
