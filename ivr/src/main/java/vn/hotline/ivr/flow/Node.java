package vn.hotline.ivr.flow;

import java.util.List;
import java.util.Map;

/** One node of a compiled flow. */
public sealed interface Node {

    /** The node's id, unique in its flow. */
    String id();

    /**
     * A question: plays a prompt and waits for a choice.
     *
     * @param maxDigits how many keys a choice takes on a keypad
     * @param options the choices, in the order the prompt reads them
     * @param byKey the choices by key
     * @param freeTextNext where unmatched free text (SMS) goes, kept as a location; {@code null} when not accepted
     */
    record Menu(String id, String prompt, int maxDigits, int timeoutSeconds, List<MenuOption> options,
            Map<String, MenuOption> byKey, String freeTextNext) implements Node {

        public Menu {
            options = List.copyOf(options);
            byKey = Map.copyOf(byKey);
        }

        /** The option with this key, or {@code null}. */
        public MenuOption option(String key) {
            return byKey.get(key);
        }

        /** The option whose longest word occurs in {@code normalisedText}, or {@code null}. */
        public MenuOption optionByWords(String normalisedText) {
            MenuOption best = null;
            int bestLength = 0;
            String padded = " " + normalisedText + " ";
            for (MenuOption option : options) {
                for (String word : option.words()) {
                    if (word.length() > bestLength && padded.contains(" " + word + " ")) {
                        best = option;
                        bestLength = word.length();
                    }
                }
            }
            return best;
        }
    }

    /** Plays a prompt and moves on. */
    record Say(String id, String prompt, String next) implements Node {
    }

    /** Records a spoken message (voice), then moves on. */
    record RecordMessage(String id, String prompt, int maxSeconds, String next) implements Node {
    }

    /**
     * Chooses the next node by an answer already given.
     *
     * @param cases next node by the slot's typed value
     * @param otherwise the next node when no case matches, the answer unknown included
     */
    record Branch(String id, Slot on, Map<Object, String> cases, String otherwise) implements Node {

        public Branch {
            cases = Map.copyOf(cases);
        }

        /** The node that follows for these answers. */
        public String next(Answers answers) {
            Object value = on.of(answers);
            return value == null ? otherwise : cases.getOrDefault(value, otherwise);
        }
    }

    /**
     * Ends the flow with the triage result, then hands the caller to a person.
     *
     * @param prompt played before the hand-over, or {@code null}
     */
    record Transfer(String id, String prompt, TransferTarget target) implements Node {
    }

    /**
     * Ends the flow with the triage result; when it opens a case, reads out the reference the gateway allocates.
     *
     * @param referencePrompt the prompt that reads the case reference (parameter {@code reference})
     * @param closing prompts played after it (or alone when no case opens), before hanging up
     * @param textOffer on voice, after the closing prompts: the offer to send the reference by text message (key 1);
     *                  null when the flow makes no such offer
     * @param textSent what the caller hears after accepting the offer; null exactly when {@code textOffer} is
     */
    record Result(String id, String referencePrompt, List<String> closing, String textOffer, String textSent)
            implements Node {

        public Result {
            closing = List.copyOf(closing);
        }
    }
}
