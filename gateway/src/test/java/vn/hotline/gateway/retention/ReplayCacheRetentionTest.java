package vn.hotline.gateway.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.audit.Actor;

/** Replayable answers go once no provider would retry; an SMS opt-out is never a retention matter. */
@GatewayTest
class ReplayCacheRetentionTest {

    private static final OffsetDateTime LONG_AGO = Instant.parse("2019-05-01T03:00:00Z").atOffset(ZoneOffset.UTC);

    @Autowired
    Retention retention;
    @Autowired
    DatabaseClient db;

    private long count(String sql) {
        return db.sql(sql).map(r -> r.get(0, Long.class)).one().block();
    }

    private static RetentionReport.Line line(RetentionReport report, DataClass dataClass) {
        return report.classes().stream().filter(l -> l.dataClass() == dataClass).findFirst().orElseThrow();
    }

    @Test
    void replayableAnswersGoOnceNoProviderWouldRetryWhileOptOutsStay() {
        OffsetDateTime fresh = OffsetDateTime.now(ZoneOffset.UTC).minusDays(1);
        OffsetDateTime stale = OffsetDateTime.now(ZoneOffset.UTC).minusDays(8);
        for (OffsetDateTime at : new OffsetDateTime[] {fresh, stale}) {
            String id = "SM" + at.toEpochSecond();
            db.sql("INSERT INTO twilio_replies (call_sid, kind, step, response, created_at) VALUES (:sid, 'voice', 0, '<Response/>', :at)")
                    .bind("sid", "CA" + at.toEpochSecond()).bind("at", at).then()
                    .then(db.sql("INSERT INTO sms_replies (provider, message_id, reply, created_at) VALUES ('twilio', :id, ARRAY['BD-2026-000009'], :at)")
                            .bind("id", id).bind("at", at).then())
                    .block();
        }
        db.sql("INSERT INTO sms_opt_outs (sender_hash, opted_out_at) VALUES ('\\x0102'::bytea, :at)").bind("at", LONG_AGO).then().block();

        RetentionReport dry = retention.dryRun(Actor.user("admin")).block();
        assertThat(line(dry, DataClass.REPLAY_CACHE).due()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM twilio_replies")).isEqualTo(2);

        RetentionReport applied = retention.apply(Actor.user("admin")).block();

        assertThat(line(applied, DataClass.REPLAY_CACHE).anonymised()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM twilio_replies")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM sms_replies")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM twilio_replies WHERE created_at > now() - interval '2 days'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM sms_opt_outs")).as("a STOP stands until START").isEqualTo(1);
    }
}
