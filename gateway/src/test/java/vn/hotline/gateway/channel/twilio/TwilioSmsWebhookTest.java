package vn.hotline.gateway.channel.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.MutableClock;
import vn.hotline.gateway.cases.CaseIntake;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.routing.RosterService;
import vn.hotline.ivr.triage.AgeBand;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.Channel;
import vn.hotline.ivr.triage.Consents;
import vn.hotline.ivr.triage.Language;
import vn.hotline.ivr.triage.LocationHint;
import vn.hotline.ivr.triage.ReporterRole;
import vn.hotline.ivr.triage.TriageResult;
import vn.hotline.ivr.triage.Urgency;

/** SMS intake as Twilio delivers it: a conversation keyed by the sender's hash, carrier keywords, officer acknowledgements. */
@GatewayTest
@Import(MutableClock.Config.class)
class TwilioSmsWebhookTest {

    private static final AtomicInteger SIDS = new AtomicInteger();

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
    @Autowired
    CaseService cases;

    TwilioWebhooks twilio;

    @BeforeEach
    void province() {
        clock.set(MutableClock.Config.START);
        CaseFixtures.ensureProvince(roster, db, passwords);
        twilio = new TwilioWebhooks(web);
    }

    private String text(String from, String body) {
        return twilio.twiml("/twilio/sms", TwilioWebhooks.sms(String.format("SM%032d", SIDS.incrementAndGet()), from, body));
    }

    @Test
    void aTextConversationEndsWithTheCaseReferenceAndStoresTheSenderOnlyAsHashAndCiphertext() {
        String from = "+84905111222";
        assertThat(text(from, "xin chao")).contains("<Message>Nguy hiem ngay: 1.");
        text(from, "5");
        text(from, "2");
        text(from, "47");
        String last = text(from, "2");

        Map<String, Object> row = db.sql("""
                        SELECT c.outcome, c.ended_at IS NOT NULL AS ended, c.caller_hash IS NOT NULL AS hashed,
                               encode(c.caller_cipher, 'escape') AS cipher, k.reference
                        FROM calls c JOIN cases k ON k.call_id = c.id WHERE c.channel = 'SMS'""").fetch().one().block();
        assertThat(row).containsEntry("outcome", "REFERENCE_GIVEN").containsEntry("ended", true).containsEntry("hashed", true);
        assertThat((String) row.get("cipher")).doesNotContain("905111222");
        assertThat(last).startsWith("<?xml").contains("<Message>", "Ma ho so: " + row.get("reference") + ".");
    }

    @Test
    void aRedeliveredMessageGetsTheSameAnswerAndTakesNoSecondStep() {
        String from = "+84905333444";
        text(from, "xin chao");
        Map<String, String> five = TwilioWebhooks.sms("SM" + "5".repeat(32), from, "5");
        String first = twilio.twiml("/twilio/sms", five);
        String again = twilio.twiml("/twilio/sms", five);

        assertThat(again).isEqualTo(first);
        assertThat(db.sql("SELECT s.step FROM ivr_sessions s JOIN calls c ON c.id = s.call_id WHERE c.provider_call_id LIKE 'sms/%' "
                + "ORDER BY c.started_at DESC LIMIT 1").map(r -> r.get(0, Integer.class)).one().block()).isOne();
    }

    @Test
    void aFirstMessageDeliveredEightTimesAtOnceStartsOneConversationAndGetsOneAnswer() throws Exception {
        String from = "+84905101202";
        String sid = String.format("SM%032d", SIDS.incrementAndGet());
        Map<String, String> hello = TwilioWebhooks.sms(sid, from, "xin chao");
        Set<String> distinct = TwilioWebhooks.distinctAnswers(8, () -> twilio.twiml("/twilio/sms", hello));
        assertThat(distinct).hasSize(1);
        assertThat(distinct.iterator().next()).contains("<Message>Nguy hiem ngay: 1.");
        assertThat(db.sql("SELECT count(*) FROM calls WHERE provider_call_id = :id").bind("id", "sms/" + sid)
                .map(r -> r.get(0, Long.class)).one().block()).isOne();
    }

    @Test
    void stopSilencesTheSenderUntilStartAndHelpAlwaysAnswers() {
        String from = "+84905555666";
        assertThat(text(from, "STOP")).contains("<Message>Ban se khong nhan them tin nhan nao.");
        assertThat(text(from, "xin chao")).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");
        assertThat(text(from, "help")).contains("STOP de ngung");
        assertThat(text(from, "Start")).contains("<Message>Ban se nhan lai tin nhan.");
        assertThat(text(from, "xin chao")).contains("<Message>Nguy hiem ngay: 1.");
    }

    @Test
    void anOfficerAcknowledgesTheirCaseByReplyingOkAndTheReference() {
        TriageResult triage = new TriageResult(Channel.SMS, Language.VI, Urgency.NORMAL, Category.CYBERBULLYING,
                ReporterRole.CHILD, AgeBand.AGE_11_15, new LocationHint.FormerDistrict("550"), new Consents(true, false, true),
                Optional.empty(), List.of("greeting"));
        String reference = cases.open(new CaseIntake(triage, clock.instant(), Optional.empty())).block().reference();
        long conversations = smsCalls();

        assertThat(text("+84905999000", "OK " + reference)).as("not an officer").contains("Khong xac nhan duoc");
        assertThat(text("+84912000550", "ok " + reference.toLowerCase())).contains("Da xac nhan ho so " + reference);
        assertThat(db.sql("SELECT status FROM cases WHERE reference = :r").bind("r", reference)
                .map(r -> r.get(0, String.class)).one().block()).isEqualTo("ACKNOWLEDGED");
        assertThat(smsCalls()).as("an acknowledgement is no conversation").isEqualTo(conversations);
    }

    private long smsCalls() {
        return db.sql("SELECT count(*) FROM calls WHERE channel = 'SMS'").map(r -> r.get(0, Long.class)).one().block();
    }

    @Test
    void anUnsignedSmsIs403WhileTheSignedOneIs200() {
        Map<String, String> form = TwilioWebhooks.sms("SM" + "9".repeat(32), "+84905777888", "xin chao");
        twilio.post("/twilio/sms", form, "forged").expectStatus().isForbidden();
        twilio.post("/twilio/sms", form).expectStatus().isOk();
    }
}
