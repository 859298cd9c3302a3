package vn.hotline.gateway.privacy.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.privacy.DataField;
import vn.hotline.gateway.privacy.Encrypted;
import vn.hotline.gateway.privacy.KeyRotation;
import vn.hotline.gateway.privacy.PersonalData;
import vn.hotline.gateway.privacy.RekeyReport;

/**
 * Re-encrypts the ciphertext columns that exist: caller numbers, officer phones, case notes, triage text, reasons. Each batch is one short
 * transaction that skips rows other transactions hold, so the server keeps running; a row changed meanwhile is left
 * for the next run and shows in the report.
 */
@Component
class R2dbcKeyRotation implements KeyRotation {

    /** Rows per transaction: ciphertexts are small, and short transactions keep the sealer's horizon moving. */
    private static final int BATCH = 500;

    /** A ciphertext column, its key-id column and the field bound into its associated data. */
    private record Column(String table, String cipher, String keyId, DataField field) {
        String name() {
            return table + "." + cipher;
        }
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("calls", "caller_cipher", "caller_key_id", DataField.CALLER_NUMBER),
            new Column("officers", "phone_cipher", "phone_key_id", DataField.OFFICER_PHONE),
            new Column("case_events", "note_cipher", "note_key_id", DataField.CASE_NOTE),
            new Column("cases", "location_hint_cipher", "location_hint_key_id", DataField.TRIAGE_TEXT),
            new Column("case_events", "reason_cipher", "reason_key_id", DataField.REASON),
            new Column("referrals", "reason_cipher", "reason_key_id", DataField.REASON));

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final PersonalData personalData;
    private final AuditLog audit;

    R2dbcKeyRotation(DatabaseClient db, TransactionalOperator tx, PersonalData personalData, AuditLog audit) {
        this.db = db;
        this.tx = tx;
        this.personalData = personalData;
        this.audit = audit;
    }

    @Override
    public Mono<RekeyReport> reencryptAll(Actor requestedBy) {
        String active = personalData.activeEncryptionKeyId();
        Map<String, Long> done = new LinkedHashMap<>();
        return Flux.fromIterable(COLUMNS)
                .concatMap(column -> batches(column, active, 0).doOnNext(n -> done.put(column.name(), n)))
                .then(remaining())
                .flatMap(remaining -> {
                    RekeyReport report = new RekeyReport(active, Map.copyOf(done), remaining);
                    Map<String, Object> payload = new TreeMap<>(done);
                    payload.put("activeKeyId", active);
                    payload.put("complete", report.complete());
                    return audit.record(new AuditEntry(requestedBy, AuditAction.KEY_ROTATED, new Subject("encryption-key", active), payload))
                            .thenReturn(report);
                });
    }

    private Mono<Long> batches(Column column, String active, long soFar) {
        return tx.transactional(batch(column, active))
                .flatMap(n -> n == 0 ? Mono.just(soFar) : batches(column, active, soFar + n));
    }

    private Mono<Long> batch(Column column, String active) {
        return db.sql("SELECT id, %s AS cipher, %s AS key_id FROM %s WHERE %s IS NOT NULL AND %s <> :active ORDER BY id LIMIT %d FOR UPDATE SKIP LOCKED"
                        .formatted(column.cipher(), column.keyId(), column.table(), column.keyId(), column.keyId(), BATCH))
                .bind("active", active)
                .map(row -> new Object[] {row.get("id"), new Encrypted(row.get("key_id", String.class), row.get("cipher", byte[].class))})
                .all()
                .concatMap(row -> {
                    Encrypted fresh = personalData.reencrypt((Encrypted) row[1], column.field());
                    return db.sql("UPDATE %s SET %s = :cipher, %s = :key WHERE id = :id".formatted(column.table(), column.cipher(), column.keyId()))
                            .bind("cipher", fresh.ciphertext())
                            .bind("key", fresh.keyId())
                            .bind("id", row[0])
                            .fetch().rowsUpdated();
                })
                .reduce(0L, Long::sum);
    }

    private Mono<Map<String, Long>> remaining() {
        return Flux.fromIterable(COLUMNS)
                .concatMap(column -> db.sql("SELECT %s AS key_id, count(*) AS n FROM %s WHERE %s IS NOT NULL GROUP BY 1"
                                .formatted(column.keyId(), column.table(), column.keyId()))
                        .map(row -> Map.entry(row.get("key_id", String.class), row.get("n", Long.class)))
                        .all())
                .collect(TreeMap<String, Long>::new, (map, e) -> map.merge(e.getKey(), e.getValue(), Long::sum))
                .map(Map::copyOf);
    }
}
