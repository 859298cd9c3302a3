package vn.hotline.gateway.privacy;

/**
 * An HMAC-SHA256 digest and the id of the key that made it.
 *
 * @param keyId the key id
 * @param digest 32 bytes
 */
public record KeyedDigest(String keyId, byte[] digest) {
}
