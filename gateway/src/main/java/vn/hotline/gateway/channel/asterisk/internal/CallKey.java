package vn.hotline.gateway.channel.asterisk.internal;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.asteriskjava.fastagi.AgiRequest;

/**
 * The key of a call, {@code <asterisk system name>/<agi_uniqueid>}, read from an AGI environment that is first
 * checked: a block without a usable {@code agi_uniqueid}, or with an over-long value, is refused. An Asterisk with
 * {@code systemname} set in {@code asterisk.conf} prefixes its uniqueids with it ({@code pbx1-1796664159.0}); such an
 * id is kept whole, so the key is the same whether it comes from the AGI or from AMI's Linkedid.
 *
 * @param value the key stored in {@code calls.provider_call_id}
 */
record CallKey(String value) {

    /** Longest value of one environment line we accept (Asterisk's are far shorter). */
    static final int MAX_VALUE_LENGTH = 512;

    private static final Pattern UNIQUE_ID = Pattern.compile("([A-Za-z0-9._-]{1,64}-)?[0-9]{1,20}\\.[0-9]{1,10}");
    private static final Pattern SYSTEM = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Why a request was refused; the text is ours, never the caller's data. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    static CallKey of(AgiRequest request, String defaultSystem) throws Refused {
        return of(request, request.getRequest().get("uniqueid"), defaultSystem);
    }

    /**
     * The key of the caller's call for a script that runs on another channel (the accept script runs on the called
     * officer's channel and is given the caller's uniqueid as an argument).
     */
    static CallKey of(AgiRequest request, String uniqueId, String defaultSystem) throws Refused {
        Map<String, String> env = request.getRequest();
        for (Map.Entry<String, String> line : env.entrySet()) {
            if (line.getValue().length() > MAX_VALUE_LENGTH) {
                throw new Refused("environment line agi_" + line.getKey() + " is longer than " + MAX_VALUE_LENGTH);
            }
        }
        if (uniqueId == null || uniqueId.isEmpty()) {
            throw new Refused("no uniqueid of the call");
        }
        if (!UNIQUE_ID.matcher(uniqueId).matches()) {
            throw new Refused("the uniqueid is not [<systemname>-]<seconds>.<sequence>");
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
