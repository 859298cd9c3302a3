package vn.hotline.gateway.privacy.internal;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.privacy.DataField;
import vn.hotline.gateway.privacy.Encrypted;
import vn.hotline.gateway.privacy.PersonalData;

/**
 * The data half of migration V16: reasons written in clear before it ({@code case_events.reason},
 * {@code referrals.reason}) are sealed into {@code reason_cipher} and the clear column emptied, at start-up, once the
 * keys are proven to be this database's ({@link KeyCheck}), in short transactions of {@link #BATCH} rows. Nothing to do
 * costs one index look-up per table; an interrupted run carries on at the next start.
 */
@Component
class ClearReasons implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(ClearReasons.class);
    private static final int BATCH = 500;
    /** A province's reasons are tens of thousands at most: seconds. The limit only keeps a hung database from hanging the start. */
    private static final Duration LIMIT = Duration.ofMinutes(10);
    private static final List<String> TABLES = List.of("case_events", "referrals");

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final PersonalData personalData;
    private final KeyCheck keys;

    ClearReasons(DatabaseClient db, TransactionalOperator tx, PersonalData personalData, KeyCheck keys) {
        this.db = db;
        this.tx = tx;
        this.personalData = personalData;
        this.keys = keys;
    }

    @Override
    public void afterSingletonsInstantiated() {
        keys.verify();
        Long sealed = Flux.fromIterable(TABLES).concatMap(table -> batches(table, 0)).reduce(0L, Long::sum).block(LIMIT);
        if (sealed != null && sealed > 0) {
            log.info("Sealed {} reasons written in clear before V16 (case_events, referrals)", sealed);
        }
    }

    private Mono<Long> batches(String table, long soFar) {
        return tx.transactional(batch(table)).flatMap(n -> n == 0 ? Mono.just(soFar) : batches(table, soFar + n));
    }

    private Mono<Long> batch(String table) {
        return db.sql("SELECT id, reason FROM %s WHERE reason IS NOT NULL ORDER BY id LIMIT %d FOR UPDATE SKIP LOCKED"
                        .formatted(table, BATCH))
                .map(row -> new Object[] {row.get("id"), row.get("reason", String.class)})
                .all()
                .concatMap(row -> {
                    Encrypted sealed = personalData.encrypt((String) row[1], DataField.REASON);
                    return db.sql("UPDATE %s SET reason = NULL, reason_cipher = :cipher, reason_key_id = :key WHERE id = :id"
                                    .formatted(table))
                            .bind("cipher", sealed.ciphertext()).bind("key", sealed.keyId()).bind("id", row[0])
                            .fetch().rowsUpdated();
                })
                .reduce(0L, Long::sum);
    }
}
