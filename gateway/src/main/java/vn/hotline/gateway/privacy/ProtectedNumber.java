package vn.hotline.gateway.privacy;

/**
 * A phone number as it is stored: a keyed hash for lookup, AES-GCM ciphertext for call-back, and a masked form.
 *
 * @param lookupHash HMAC-SHA256 of the E.164 form under the lookup key
 * @param ciphertext AES-GCM ciphertext of the E.164 form
 * @param keyId the encryption key id
 * @param masked for display, e.g. {@code 09x xxx x678}
 */
public record ProtectedNumber(byte[] lookupHash, byte[] ciphertext, String keyId, String masked) {

    @Override
    public String toString() {
        return "ProtectedNumber[" + masked + ", key " + keyId + "]";
    }
}
