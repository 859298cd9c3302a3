package vn.hotline.ivr.engine;

import java.util.Objects;

/** What happened since the last step; adapters translate provider events into these. */
public sealed interface Input {

    /** Keys pressed (AGI {@code GET DATA} result, Twilio {@code Digits}). */
    record Digits(String digits) implements Input {
        public Digits {
            Objects.requireNonNull(digits, "digits");
        }
    }

    /** A text message (SMS), or speech transcribed by the provider. */
    record Text(String text) implements Input {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** The gather timed out with nothing entered. */
    record Timeout() implements Input {
    }

    /** The caller hung up (or the SMS conversation was closed). */
    record HungUp() implements Input {
    }

    /**
     * The gateway opened the case that the last {@link Command.Complete} asked for, after
     * {@link Command.AwaitCaseReference}; the engine reads the reference out next.
     */
    record CaseOpened(String reference) implements Input {
        public CaseOpened {
            Objects.requireNonNull(reference, "reference");
            if (reference.isEmpty() || !reference.chars().allMatch(c -> c == '-' || (c >= '0' && c <= '9')
                    || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                throw new IllegalArgumentException("a case reference has letters, digits and '-' only");
            }
        }
    }

    /** The shared timeout. */
    Timeout TIMEOUT = new Timeout();

    /** The shared hang-up. */
    HungUp HUNG_UP = new HungUp();
}
