package vn.hotline.gateway.lease.internal;

import org.springframework.r2dbc.core.DatabaseClient;
import vn.hotline.gateway.lease.LeaseProperties;
import vn.hotline.gateway.lease.Leases;

/** Another node's leases against the same database, for tests of work that must run on one node at a time. */
public final class TestLeases {

    private TestLeases() {
    }

    public static Leases node(DatabaseClient db, String nodeId) {
        return new R2dbcLeases(db, new LeaseProperties(nodeId));
    }
}
