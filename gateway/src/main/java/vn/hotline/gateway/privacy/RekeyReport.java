package vn.hotline.gateway.privacy;

import java.util.Map;

/**
 * What a key rotation did.
 *
 * @param activeKeyId the key everything was moved to
 * @param reencrypted rows re-encrypted per column ({@code calls.caller_cipher}, ...)
 * @param remainingByKey rows still under each key id, over every ciphertext column: a key absent here can be retired
 */
public record RekeyReport(String activeKeyId, Map<String, Long> reencrypted, Map<String, Long> remainingByKey) {

    /** True when nothing is left under any key but the active one. */
    public boolean complete() {
        return remainingByKey.keySet().stream().allMatch(activeKeyId::equals);
    }
}
