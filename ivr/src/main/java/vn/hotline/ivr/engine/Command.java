package vn.hotline.ivr.engine;

import java.util.Map;
import java.util.Objects;
import vn.hotline.ivr.flow.TransferTarget;
import vn.hotline.ivr.triage.Language;
import vn.hotline.ivr.triage.TriageResult;
import vn.hotline.ivr.triage.Urgency;

/** What the channel adapter must do next, in order; provider-neutral. */
public sealed interface Command {

    /**
     * Play (voice) or write (SMS) a catalog prompt.
     *
     * @param params values the prompt reads; rendered per channel by {@code PromptRenderer}
     */
    record PlayPrompt(String key, Language language, Map<String, String> params) implements Command {
        public PlayPrompt {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(language, "language");
            params = Map.copyOf(params);
        }

        /**
         * True for the prompt that reads the case reference: adapters play it in full even when a question follows
         * (the offer of a text), so a key pressed early cannot cut the reference short.
         */
        public boolean readsReference() {
            return params.containsKey("reference");
        }
    }

    /**
     * Wait for the caller's answer, then call the engine with {@code Digits}, {@code Text} or {@code Timeout}.
     *
     * @param maxLength most digits (voice) or characters (text) to take
     * @param terminator the key that ends entry early ({@code #}), empty for text
     */
    record Gather(GatherMode mode, int maxLength, int timeoutSeconds, String terminator) implements Command {
    }

    /** Hand the caller to a person; the session is over for the engine. */
    record Transfer(TransferTarget target, Urgency urgency) implements Command {
    }

    /** Record what the caller says, up to {@code maxSeconds} or the terminator key. */
    record RecordMessage(int maxSeconds, String terminator) implements Command {
    }

    /** End the call (voice) or the conversation (SMS). */
    record Hangup() implements Command {
    }

    /** Triage is over: log the contact and, when {@link TriageResult#opensCase()}, open a case. */
    record Complete(TriageResult result) implements Command {
    }

    /**
     * The engine needs the reference of the case just opened: answer with {@code Input.CaseOpened}, or with
     * {@code Input.Timeout} when no case could be opened (the caller is then handed to a person).
     */
    record AwaitCaseReference() implements Command {
    }

    /**
     * The caller asked for the case reference by text message: send it to the number they called from, in neutral
     * wording that says nothing about the hotline's purpose (the phone may be an abuser's). Offered only on voice,
     * after the reference was read out, and never when the caller said a call-back on this number is not safe.
     */
    record TextReference(Language language) implements Command {
    }

    /** The shared hang-up. */
    Hangup HANGUP = new Hangup();

    /** The shared request for a case reference. */
    AwaitCaseReference AWAIT_CASE_REFERENCE = new AwaitCaseReference();
}
