package vn.hotline.gateway.audit;

/**
 * A signed chain head, written outside the database. The signature (Ed25519) covers
 * {@code hotline-audit-anchor/v1}, seq, hash, signedAt and keyId, one per line.
 *
 * @param seq the head's sequence number
 * @param hash the head's hash, hex
 * @param signedAt when it was signed, ISO-8601 UTC
 * @param keyId the anchor key id
 * @param signature base64
 */
public record Anchor(long seq, String hash, String signedAt, String keyId, String signature) {
}
