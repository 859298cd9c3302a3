package vn.hotline.ivr.triage;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of triage on one contact: the contract between {@code ivr} and {@code routing} (DESIGN 1b).
 *
 * @param channel how the contact arrived
 * @param language the language the caller chose
 * @param urgency how soon a human must act
 * @param category what it is about
 * @param reporterRole who is reporting
 * @param ageBand the child's age band
 * @param locationHint what the caller said about where the child is
 * @param consents what the caller agreed to
 * @param abandonedAt the flow node where the caller left, or empty when the flow ended on purpose
 * @param path the flow nodes walked, in order, for the log
 */
public record TriageResult(
        Channel channel,
        Language language,
        Urgency urgency,
        Category category,
        ReporterRole reporterRole,
        AgeBand ageBand,
        LocationHint locationHint,
        Consents consents,
        Optional<String> abandonedAt,
        List<String> path) {

    public TriageResult {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(urgency, "urgency");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(reporterRole, "reporterRole");
        Objects.requireNonNull(ageBand, "ageBand");
        Objects.requireNonNull(locationHint, "locationHint");
        Objects.requireNonNull(consents, "consents");
        Objects.requireNonNull(abandonedAt, "abandonedAt");
        path = List.copyOf(path);
    }

    /** True when the caller left before the flow ended. */
    public boolean abandoned() {
        return abandonedAt.isPresent();
    }

    /**
     * Whether this contact opens a case: every completed result except {@code INFO}, and an abandoned contact
     * only when it was already {@code IMMEDIATE} or {@code HIGH} (so someone calls back). Silent calls are logged,
     * not cased.
     */
    public boolean opensCase() {
        if (abandoned()) {
            return urgency.atLeast(Urgency.HIGH);
        }
        return urgency != Urgency.INFO;
    }
}
