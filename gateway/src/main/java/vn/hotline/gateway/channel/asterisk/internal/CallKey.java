package vn.hotline.gateway.channel.asterisk.internal;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.asteriskjava.fastagi.AgiRequest;

/**
 * The key of a call, {@code <asterisk system name>/<agi_uniqueid>}, read from an AGI environment that is first
 * checked: a block without a usable {@code agi_uniqueid}, or with an over-long value, is refused.
 *
 * @param value the key stored in {@code calls.provider_call_id}
 */
record CallKey(String value) {

    /** Longest value of one environment line we accept (Asterisk's are far shorter). */
    static final int MAX_VALUE_LENGTH = 512;

    private static final Pattern UNIQUE_ID = Pattern.compile("[0-9]{1,20}\\.[0-9]{1,10}");
    private static final Pattern SYSTEM = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Why a request was refused; the text is ours, never the caller's data. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    static CallKey of(AgiRequest request, String defaultSystem) throws Refused {
        Map<String, String> env = request.getRequest();
        for (Map.Entry<String, String> line : env.entrySet()) {
            if (line.getValue().length() > MAX_VALUE_LENGTH) {
                throw new Refused("environment line agi_" + line.getKey() + " is longer than " + MAX_VALUE_LENGTH);
            }
        }
        String uniqueId = env.get("uniqueid");
        if (uniqueId == null) {
            throw new Refused("no agi_uniqueid in the environment");
        }
        if (!UNIQUE_ID.matcher(uniqueId).matches()) {
            throw new Refused("agi_uniqueid is not <seconds>.<sequence>");
        }
        String system = Optional.ofNullable(parameter(request, "system")).orElse(defaultSystem);
        if (!SYSTEM.matcher(system).matches()) {
            throw new Refused("the system parameter is not a system name");
        }
        return new CallKey(system + "/" + uniqueId);
    }

    private static String parameter(AgiRequest request, String name) {
        try {
            String value = request.getParameter(name);
            return value == null || value.isEmpty() ? null : value;
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
