package vn.hotline.gateway.sms.internal;

import io.r2dbc.postgresql.codec.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.cases.CaseIntake;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.privacy.CallerId;
import vn.hotline.gateway.privacy.DataField;
import vn.hotline.gateway.privacy.PersonalData;
import vn.hotline.gateway.privacy.ProtectedNumber;
import vn.hotline.gateway.security.StaffDirectory;
import vn.hotline.gateway.sms.InboundSms;
import vn.hotline.gateway.sms.SmsConversations;
import vn.hotline.ivr.engine.CallerContext;
import vn.hotline.ivr.engine.Command;
import vn.hotline.ivr.engine.Input;
import vn.hotline.ivr.engine.IvrEngine;
import vn.hotline.ivr.engine.SessionStateCodec;
import vn.hotline.ivr.engine.Step;
import vn.hotline.ivr.prompt.PromptRenderer;
import vn.hotline.ivr.triage.Language;
import vn.hotline.ivr.triage.TriageResult;

/**
 * Text conversations on PostgreSQL: one call record (channel {@code SMS}) and IVR session per conversation, found by
 * the keyed hash of the sender; each inbound message is one engine step in one transaction, and its reply is stored
 * under the provider's message id, so a redelivery answers the same and changes nothing.
 */
@Component
class DefaultSmsConversations implements SmsConversations {

    /** Carrier keywords (CTIA and Twilio's defaults), matched on the whole message. */
    static final Set<String> STOP = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");
    static final Set<String> START = Set.of("START", "UNSTOP");
    static final Set<String> HELP = Set.of("HELP", "INFO");
    private static final Pattern ACKNOWLEDGE = Pattern.compile("(?i)\\s*OK\\s+([A-Z]{1,8}-[0-9]{4}-[0-9]{1,9})\\s*");
    /** A conversation silent this long is over; the next message starts a new one. */
    private static final Duration CONVERSATION = Duration.ofHours(24);

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final PersonalData personalData;
    private final CaseService cases;
    private final StaffDirectory staff;
    private final AuditLog audit;
    private final Clock clock;
    private final IvrEngine engine;
    private final PromptRenderer prompts;
    private final Map<Language, Properties> texts;

    DefaultSmsConversations(DatabaseClient db, TransactionalOperator tx, PersonalData personalData, CaseService cases,
            StaffDirectory staff, AuditLog audit, IvrEngine engine, PromptRenderer prompts, Clock clock) {
        this.db = db;
        this.tx = tx;
        this.personalData = personalData;
        this.cases = cases;
        this.staff = staff;
        this.audit = audit;
        this.clock = clock;
        this.engine = engine;
        this.prompts = prompts;
        this.texts = Map.of(Language.VI, load("vi"), Language.EN, load("en"));
    }

    private static Properties load(String tag) {
        try (InputStream in = DefaultSmsConversations.class.getResourceAsStream("/sms/texts_" + tag + ".properties")) {
            Properties properties = new Properties();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String text(String key, Map<String, String> params) {
        String template = texts.get(Language.VI).getProperty(key);
        for (Map.Entry<String, String> p : params.entrySet()) {
            template = template.replace("{" + p.getKey() + "}", p.getValue());
        }
        return template;
    }

    @Override
    public Mono<List<String>> receive(InboundSms message) {
        CallerId sender = personalData.identify(message.from());
        if (!(sender instanceof CallerId.Number number)) {
            // Nobody to answer and nobody to call back: nothing to do.
            return Mono.just(List.of());
        }
        return stored(message).switchIfEmpty(Mono.defer(() -> {
            Matcher ack = ACKNOWLEDGE.matcher(message.text());
            if (ack.matches()) {
                return acknowledge(number, ack.group(1).toUpperCase(Locale.ROOT))
                        .flatMap(reply -> tx.transactional(claim(message).filter(Boolean::booleanValue)
                                .flatMap(claimed -> save(message, reply))).switchIfEmpty(stored(message)));
            }
            return tx.transactional(claim(message).flatMap(claimed -> claimed
                            ? converse(message, number).flatMap(reply -> save(message, reply))
                            : Mono.<List<String>>empty()))
                    .switchIfEmpty(Mono.defer(() -> stored(message)));
        }));
    }

    private Mono<List<String>> stored(InboundSms message) {
        return db.sql("SELECT reply FROM sms_replies WHERE provider = :p AND message_id = :id")
                .bind("p", message.provider()).bind("id", message.messageId())
                .map(r -> Arrays.asList(r.get(0, String[].class))).one();
    }

    /** Takes a message id; a concurrent redelivery waits on the key, then reads the reply. */
    private Mono<Boolean> claim(InboundSms message) {
        return db.sql("""
                        INSERT INTO sms_replies (provider, message_id, reply, created_at) VALUES (:p, :id, '{}', :at)
                        ON CONFLICT DO NOTHING""")
                .bind("p", message.provider()).bind("id", message.messageId()).bind("at", utc(clock.instant()))
                .fetch().rowsUpdated().map(n -> n == 1);
    }

    private Mono<List<String>> save(InboundSms message, List<String> reply) {
        return db.sql("UPDATE sms_replies SET reply = :reply WHERE provider = :p AND message_id = :id")
                .bind("reply", reply.toArray(String[]::new)).bind("p", message.provider()).bind("id", message.messageId())
                .then().thenReturn(reply);
    }

    private Mono<List<String>> converse(InboundSms message, CallerId.Number number) {
        byte[] hash = personalData.lookupHash(number);
        String keyword = message.text().strip().toUpperCase(Locale.ROOT);
        if (STOP.contains(keyword)) {
            return db.sql("INSERT INTO sms_opt_outs (sender_hash, opted_out_at) VALUES (:h, :at) ON CONFLICT DO NOTHING")
                    .bind("h", hash).bind("at", utc(clock.instant())).then()
                    .thenReturn(List.of(text("stop.confirmed", Map.of())));
        }
        if (START.contains(keyword)) {
            return db.sql("DELETE FROM sms_opt_outs WHERE sender_hash = :h").bind("h", hash).then()
                    .thenReturn(List.of(text("start.confirmed", Map.of())));
        }
        if (HELP.contains(keyword)) {
            return Mono.just(List.of(text("help", Map.of())));
        }
        return db.sql("SELECT count(*) FROM sms_opt_outs WHERE sender_hash = :h").bind("h", hash)
                .map(r -> r.get(0, Long.class)).one()
                .flatMap(optedOut -> optedOut > 0 ? Mono.just(List.<String>of()) : step(message, number, hash));
    }

    private record Open(UUID callId, int step, String state) {
    }

    private Mono<List<String>> step(InboundSms message, CallerId.Number number, byte[] hash) {
        Instant now = clock.instant();
        return db.sql("""
                        SELECT c.id, s.step, s.state::text FROM calls c JOIN ivr_sessions s ON s.call_id = c.id
                        WHERE c.channel = 'SMS' AND c.caller_hash = :h AND c.ended_at IS NULL AND s.updated_at > :since
                        ORDER BY c.started_at DESC LIMIT 1 FOR UPDATE OF s""")
                .bind("h", hash).bind("since", utc(now.minus(CONVERSATION)))
                .map(r -> new Open(r.get(0, UUID.class), r.get(1, Integer.class), r.get(2, String.class))).one()
                .flatMap(open -> {
                    Step step = engine.step(SessionStateCodec.fromJson(open.state()), new Input.Text(message.text()));
                    return db.sql("UPDATE ivr_sessions SET step = step + 1 WHERE call_id = :id").bind("id", open.callId())
                            .then().then(take(open.callId(), step));
                })
                .switchIfEmpty(Mono.defer(() -> {
                    Step first = engine.start(CallerContext.sms(number.e164(), message.to(), now, message.text()));
                    return start(message, personalData.protect(number, DataField.CALLER_NUMBER), first)
                            .flatMap(callId -> take(callId, first));
                }));
    }

    private Mono<UUID> start(InboundSms message, ProtectedNumber caller, Step first) {
        UUID id = UUID.randomUUID();
        Instant at = first.state().receivedAt();
        return db.sql("""
                        INSERT INTO calls (id, channel, provider, provider_call_id, caller_kind, caller_hash, caller_cipher,
                                           caller_key_id, caller_masked, started_at, answered_at, ivr_path)
                        VALUES (:id, 'SMS', :provider, :key, 'NUMBER', :hash, :cipher, :keyId, :masked, :at, :at, :path)""")
                .bind("id", id).bind("provider", message.provider()).bind("key", "sms/" + message.messageId())
                .bind("hash", caller.lookupHash()).bind("cipher", caller.ciphertext()).bind("keyId", caller.keyId())
                .bind("masked", caller.masked()).bind("at", utc(at)).bind("path", first.state().path().toArray(String[]::new))
                .then()
                .then(db.sql("""
                                INSERT INTO ivr_sessions (call_id, flow_id, flow_version, step, state, updated_at)
                                VALUES (:id, :flow, :version, 0, :state, :at)""")
                        .bind("id", id).bind("flow", first.state().flowId()).bind("version", first.state().flowVersion())
                        .bind("state", Json.of(SessionStateCodec.toJson(first.state()))).bind("at", utc(at)).then())
                .then(audit.record(new AuditEntry(Actor.provider(message.provider()), AuditAction.CALL_STARTED,
                        new Subject("call", id.toString()), Map.of("channel", "SMS"))))
                .thenReturn(id);
    }

    /** One step: opens the case the engine asks for, records the end, stores the state; emits the reply texts. */
    private Mono<List<String>> take(UUID callId, Step step) {
        TriageResult completed = null;
        for (Command command : step.commands()) {
            if (command instanceof Command.Complete complete) {
                completed = complete.result();
            }
        }
        TriageResult result = completed;
        Instant receivedAt = step.state().receivedAt();
        boolean transfer = step.commands().stream().anyMatch(Command.Transfer.class::isInstance);
        boolean ends = transfer || step.commands().contains(Command.HANGUP);
        if (step.commands().contains(Command.AWAIT_CASE_REFERENCE)) {
            return cases.open(new CaseIntake(result, receivedAt, Optional.of(callId))).flatMap(opened -> {
                Step next = engine.step(step.state(), new Input.CaseOpened(opened.reference()));
                List<Command> all = new ArrayList<>(step.commands());
                all.addAll(next.commands());
                return finish(callId, new Step(all, next.state()), result, "REFERENCE_GIVEN", true);
            });
        }
        if (ends && result != null && result.opensCase()) {
            return cases.open(new CaseIntake(result, receivedAt, Optional.of(callId)))
                    .then(finish(callId, step, result, transfer ? "CALLBACK_URGENT" : "INFORMATION_GIVEN", true));
        }
        return finish(callId, step, result, "INFORMATION_GIVEN", ends);
    }

    private Mono<List<String>> finish(UUID callId, Step step, TriageResult result, String outcome, boolean ended) {
        Mono<Void> save = db.sql("UPDATE ivr_sessions SET state = :state, updated_at = :at WHERE call_id = :id")
                .bind("state", Json.of(SessionStateCodec.toJson(step.state()))).bind("at", utc(clock.instant()))
                .bind("id", callId).then();
        Mono<Void> end = !ended ? Mono.empty()
                : db.sql("UPDATE calls SET outcome = :outcome, ivr_path = :path, ended_at = :at WHERE id = :id")
                        .bind("outcome", outcome).bind("at", utc(clock.instant())).bind("id", callId)
                        .bind("path", (result != null ? result.path() : step.state().path()).toArray(String[]::new))
                        .then()
                        .then(audit.record(new AuditEntry(Actor.provider("sms"), AuditAction.CALL_ENDED,
                                new Subject("call", callId.toString()), Map.of("outcome", outcome, "abandonedAt", ""))));
        String reply = prompts.smsMessage(step.commands());
        return save.then(end).thenReturn(reply.isEmpty() ? List.of() : List.of(reply));
    }

    /** {@code OK <reference>} from an officer's phone acknowledges the case, as in the console. */
    private Mono<List<String>> acknowledge(CallerId.Number number, String reference) {
        Map<String, String> params = Map.of("reference", reference);
        return db.sql("""
                        SELECT u.username FROM officers o JOIN users u ON u.officer_id = o.id
                        WHERE o.phone_hash = :h AND o.active AND u.enabled ORDER BY u.username LIMIT 1""")
                .bind("h", personalData.lookupHash(number))
                .map(r -> r.get(0, String.class)).one()
                .flatMap(staff::find)
                .flatMap(officer -> cases.acknowledge(reference, officer).thenReturn(List.of(text("ack.done", params))))
                .onErrorResume(e -> Mono.empty())
                .defaultIfEmpty(List.of(text("ack.refused", params)));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
