package vn.hotline.gateway.lease.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.lease.LeaseProperties;
import vn.hotline.gateway.lease.Leases;

/**
 * Leases in {@code node_leases}. Expiry uses the database's {@code clock_timestamp()} on purpose: the one clock all
 * nodes share is the point, not this process's time.
 */
@Component
class R2dbcLeases implements Leases {

    private final DatabaseClient db;
    private final String nodeId;

    R2dbcLeases(DatabaseClient db, LeaseProperties properties) {
        this.db = db;
        this.nodeId = properties.nodeId() == null || properties.nodeId().isBlank() ? generatedNodeId() : properties.nodeId();
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public Mono<Boolean> acquire(String name, Duration ttl) {
        return db.sql("""
                        INSERT INTO node_leases (name, holder, expires_at)
                        VALUES (:name, :holder, clock_timestamp() + :ttlMs * interval '1 millisecond')
                        ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
                        WHERE node_leases.holder = EXCLUDED.holder OR node_leases.expires_at < clock_timestamp()
                        RETURNING holder""")
                .bind("name", name)
                .bind("holder", nodeId)
                .bind("ttlMs", ttl.toMillis())
                .map(row -> row.get("holder", String.class))
                .one()
                .hasElement();
    }

    @Override
    public Mono<Boolean> holdWithin(String name) {
        return db.sql("""
                        SELECT holder FROM node_leases
                        WHERE name = :name AND holder = :holder AND expires_at > clock_timestamp()
                        FOR UPDATE""")
                .bind("name", name)
                .bind("holder", nodeId)
                .map(row -> row.get("holder", String.class))
                .one()
                .hasElement();
    }

    @Override
    public Mono<Void> release(String name) {
        return db.sql("UPDATE node_leases SET expires_at = clock_timestamp() WHERE name = :name AND holder = :holder")
                .bind("name", name)
                .bind("holder", nodeId)
                .then();
    }

    private static String generatedNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
