package vn.hotline.gateway.audit.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

/**
 * The canonical encoding of a seal and its event, and the chain hash over it:
 * {@code hash = SHA-256(prev_hash || encoding)}. Every field is fixed-width or length-prefixed, so no two different
 * rows encode alike; seq and event id are inside, so swapping seals breaks the chain. Timestamps are epoch
 * microseconds, PostgreSQL's precision. Not thread-safe: one per sealing round or verification.
 */
final class ChainCodec {

    static final byte[] GENESIS = new byte[32];
    private static final byte[] VERSION = "hotline-audit-seal/v1".getBytes(StandardCharsets.US_ASCII);

    private final MessageDigest sha256;
    private ByteBuffer buffer = ByteBuffer.allocate(1024);

    ChainCodec() {
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    byte[] hash(byte[] prevHash, long seq, Instant sealedAt, String sealedBy, ChainEvent event) {
        buffer.clear();
        bytes(VERSION);
        putLong(seq);
        putLong(micros(sealedAt));
        text(sealedBy);
        putLong(event.id());
        putLong(micros(event.occurredAt()));
        putLong(micros(event.recordedAt()));
        text(event.txId());
        text(event.actorType());
        text(event.actorId());
        text(event.action());
        text(event.subjectType());
        text(event.subjectId());
        bytes(event.payloadDigest());
        text(event.digestKeyId());
        sha256.reset();
        sha256.update(prevHash);
        sha256.update(buffer.array(), 0, buffer.position());
        return sha256.digest();
    }

    /** Microseconds since the epoch; an instant with finer precision is cut, as PostgreSQL would store it. */
    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    private void text(String value) {
        bytes(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private void bytes(byte[] value) {
        if (value == null) {
            ensure(4);
            buffer.putInt(-1);
            return;
        }
        ensure(4 + value.length);
        buffer.putInt(value.length);
        buffer.put(value);
    }

    private void putLong(long value) {
        ensure(8);
        buffer.putLong(value);
    }

    private void ensure(int more) {
        if (buffer.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + more));
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
    }
}
