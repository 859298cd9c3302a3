package vn.hotline.gateway.channel.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.MutableClock;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.routing.RosterService;

/**
 * Every recorded Twilio form body (src/test/resources/twilio/fixtures) delivered twice, in the order of a real call
 * or conversation: the replay gets the identical answer and changes nothing; the first delivery changes what it should.
 */
@GatewayTest
@Import(MutableClock.Config.class)
class TwilioFixtureReplayTest {

    /** What a delivery can change, read in one statement: calls, steps, rungs, cases, audit, outbox, replies. */
    private static final String STATE = """
            SELECT concat_ws(' | ',
                (SELECT count(*) FROM calls),
                (SELECT string_agg(c.outcome || ':' || (c.ended_at IS NOT NULL), ',' ORDER BY c.id) FROM calls c),
                (SELECT coalesce(sum(step), 0) FROM ivr_sessions),
                (SELECT string_agg(coalesce(a.dial_status, '-'), ',' ORDER BY a.call_id, a.step) FROM call_dial_attempts a),
                (SELECT count(*) FROM cases),
                (SELECT count(*) FROM audit_events),
                (SELECT count(*) FROM outbox),
                (SELECT count(*) FROM sms_replies))""";

    @Autowired
    WebTestClient web;
    @Autowired
    DatabaseClient db;
    @Autowired
    RosterService roster;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    MutableClock clock;

    TwilioWebhooks twilio;

    @BeforeEach
    void province() {
        clock.set(MutableClock.Config.START);
        CaseFixtures.ensureProvince(roster, db, passwords);
        twilio = new TwilioWebhooks(web);
    }

    private String state() {
        return db.sql(STATE).map(r -> r.get(0, String.class)).one().block();
    }

    private void deliverTwice(TwilioWebhooks.Fixture fixture) {
        String before = state();
        String first = twilio.twiml(fixture.path(), fixture.form());
        String afterFirst = state();
        String replay = twilio.twiml(fixture.path(), fixture.form());

        assertThat(replay).as("%s replayed: the same answer", fixture.name()).isEqualTo(first);
        assertThat(state()).as("%s replayed: nothing changes", fixture.name()).isEqualTo(afterFirst);
        if (fixture.changesState()) {
            assertThat(afterFirst).as("%s: the first delivery changes the state", fixture.name()).isNotEqualTo(before);
        } else {
            assertThat(afterFirst).as("%s: a delivery that only asks changes nothing", fixture.name()).isEqualTo(before);
        }
    }

    @Test
    void everyVoiceFixtureOfADangerNowCallIsAnsweredIdenticallyTwiceWithOneStateChange() {
        Map<String, String> values = Map.of("CallSid", "CA" + "a1".repeat(16), "LegSid", "CA" + "b2".repeat(16),
                "From", "+84905123456", "Officer", "+84912000111");

        for (String name : new String[] {"voice-incoming", "voice-gather-danger", "voice-ladder-rung", "voice-whisper",
                "voice-dial-no-answer", "voice-status-completed"}) {
            deliverTwice(TwilioWebhooks.fixture(name, values));
        }

        Map<String, Object> call = db.sql("""
                        SELECT c.outcome, c.ended_at IS NOT NULL AS ended,
                               (SELECT string_agg(a.dial_status, ',') FROM call_dial_attempts a
                                WHERE a.call_id = c.id AND a.dial_status IS NOT NULL) AS dialled
                        FROM calls c WHERE c.provider_call_id = :sid""")
                .bind("sid", values.get("CallSid")).fetch().one().block();
        assertThat(call).containsEntry("ended", true).containsEntry("dialled", "NOANSWER");
    }

    @Test
    void anIncomingTextDeliveredTwiceGetsOneAnswerAndTakesOneStep() {
        Map<String, String> values = Map.of("MessageSid", "SM" + "c3".repeat(16), "From", "+84905654321", "Body", "Xin chào");

        deliverTwice(TwilioWebhooks.fixture("sms-incoming", values));

        assertThat(db.sql("SELECT count(*) FROM sms_replies WHERE message_id = :id").bind("id", values.get("MessageSid"))
                .map(r -> r.get(0, Long.class)).one().block()).isEqualTo(1);
    }

    @Test
    void aFixtureMissingAValueIsRefusedRatherThanPostedWithAPlaceholder() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TwilioWebhooks.fixture("voice-incoming", Map.of("CallSid", "CA1")))
                .hasMessageContaining("needs a value for From");
    }
}
