package vn.hotline.gateway.privacy;

/**
 * AES-GCM ciphertext of personal text, with the id of the key that sealed it.
 *
 * @param keyId the key id, stored beside the ciphertext so keys can rotate
 * @param ciphertext version byte, 12-byte nonce, ciphertext and tag
 */
public record Encrypted(String keyId, byte[] ciphertext) {

    @Override
    public String toString() {
        return "Encrypted[key " + keyId + ", " + ciphertext.length + " bytes]";
    }
}
