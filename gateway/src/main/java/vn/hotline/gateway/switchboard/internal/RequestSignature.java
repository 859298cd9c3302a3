package vn.hotline.gateway.switchboard.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of the switchboard contract, both ways: {@code X-Switchboard-Signature: v1=<hex HMAC-SHA256>} over
 * the decimal Unix timestamp of {@code X-Switchboard-Timestamp}, a full stop and the raw body. A request whose
 * timestamp is outside the replay window is refused even when its signature is right.
 */
final class RequestSignature {

    static final String TIMESTAMP = "X-Switchboard-Timestamp";
    static final String SIGNATURE = "X-Switchboard-Signature";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final String VERSION = "v1=";

    /** Why a request was refused. */
    enum Verdict {
        VALID, MISSING, MALFORMED, STALE, BAD_SIGNATURE, NOT_CONFIGURED
    }

    private RequestSignature() {
    }

    static String sign(String secret, long timestamp, byte[] body) {
        return VERSION + HexFormat.of().formatHex(mac(secret, timestamp, body));
    }

    static Verdict verify(String secret, String timestampHeader, String signatureHeader, byte[] body, Instant now,
                          Duration window) {
        if (secret == null || secret.isBlank()) {
            return Verdict.NOT_CONFIGURED;
        }
        if (timestampHeader == null || signatureHeader == null) {
            return Verdict.MISSING;
        }
        long timestamp;
        byte[] given;
        try {
            timestamp = Long.parseLong(timestampHeader.trim());
            if (!signatureHeader.startsWith(VERSION)) {
                return Verdict.MALFORMED;
            }
            given = HexFormat.of().parseHex(signatureHeader.substring(VERSION.length()).trim());
        } catch (IllegalArgumentException e) {
            return Verdict.MALFORMED;
        }
        // The signature is checked first, so a stale verdict is only ever given to someone who holds the key.
        if (!MessageDigest.isEqual(given, mac(secret, timestamp, body))) {
            return Verdict.BAD_SIGNATURE;
        }
        long skew = Math.abs(now.getEpochSecond() - timestamp);
        return skew > window.toSeconds() ? Verdict.STALE : Verdict.VALID;
    }

    private static byte[] mac(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
