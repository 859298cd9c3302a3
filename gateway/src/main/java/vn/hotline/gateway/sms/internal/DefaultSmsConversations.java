package vn.hotline.gateway.sms.internal;

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
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.calllog.CallRecords;
import vn.hotline.gateway.cases.CaseIntake;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.db.SqlPart;
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
import vn.hotline.ivr.engine.SessionState;
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
        byte[] hash = personalData.lookupHash(number);
        Matcher ack = ACKNOWLEDGE.matcher(message.text());
        if (ack.matches()) {
            // A redelivered acknowledgement answers its stored reply before acknowledging anything again.
            return stored(message).switchIfEmpty(Mono.defer(() -> acknowledge(hash, ack.group(1).toUpperCase(Locale.ROOT))
                    .flatMap(reply -> tx.transactional(claimFrom(message, hash).filter(Claim::claimed)
                            .flatMap(claimed -> save(message, reply))).switchIfEmpty(stored(message)))));
        }
        return sender(message, hash).flatMap(seen -> {
            if (seen.reply().isPresent()) {
                return Mono.just(seen.reply().get());
            }
            if (!seen.open() && !seen.optedOut() && !isKeyword(message)) {
                Step first = firstStep(message, number);
                if (onlyAsks(first)) {
                    return begin(message, number, first);
                }
            }
            // A redelivery finds its message id taken (the claim says so) and answers the stored reply.
            return tx.transactional(claimFrom(message, hash).flatMap(claim -> claim.claimed()
                            ? converse(message, number, hash, claim)
                            : Mono.<List<String>>empty()))
                    .switchIfEmpty(Mono.defer(() -> stored(message)));
        });
    }

    /** What is known of a message and its sender before anything is written. */
    private record Seen(Optional<List<String>> reply, boolean optedOut, boolean open) {
    }

    /** The message's stored reply (a redelivery), the sender's opt-out and whether a conversation is open, in one query. */
    private Mono<Seen> sender(InboundSms message, byte[] hash) {
        return db.sql("""
                        SELECT (SELECT reply FROM sms_replies WHERE provider = :p AND message_id = :id) AS reply,
                               EXISTS (SELECT 1 FROM sms_opt_outs WHERE sender_hash = :h) AS opted_out,
                               EXISTS (SELECT 1 FROM calls c JOIN ivr_sessions s ON s.call_id = c.id
                                       WHERE c.channel = 'SMS' AND c.caller_hash = :h AND c.ended_at IS NULL
                                         AND s.updated_at > :since) AS open""")
                .bind("p", message.provider()).bind("id", message.messageId()).bind("h", hash)
                .bind("since", utc(clock.instant().minus(CONVERSATION)))
                .map(r -> new Seen(Optional.ofNullable(r.get("reply", String[].class)).map(Arrays::asList),
                        Boolean.TRUE.equals(r.get("opted_out", Boolean.class)), Boolean.TRUE.equals(r.get("open", Boolean.class))))
                .one();
    }

    /**
     * A new conversation whose first step only asks: the message taken with its reply, the call record, session and
     * CALL_STARTED, in one statement without a transaction of its own. A concurrent redelivery makes the message's key
     * collide, the statement writes nothing, and the stored reply answers.
     */
    private Mono<List<String>> begin(InboundSms message, CallerId.Number number, Step first) {
        List<String> reply = replyTo(first);
        List<SqlPart> parts = new ArrayList<>(opening(message, newConversation(number), first.state()));
        parts.add(new SqlPart("""
                INSERT INTO sms_replies (provider, message_id, reply, created_at) VALUES (:replyProvider, :messageId, :reply, :replyAt)""",
                Map.of("replyProvider", message.provider(), "messageId", message.messageId(),
                        "reply", reply.toArray(String[]::new), "replyAt", utc(clock.instant()))));
        return SqlPart.together(db, parts).then().thenReturn(reply)
                .onErrorResume(DataIntegrityViolationException.class, e -> stored(message));
    }

    /** The message as a carrier keyword would be written: the whole text, trimmed, in capitals. */
    private static String keyword(InboundSms message) {
        return message.text().strip().toUpperCase(Locale.ROOT);
    }

    private static boolean isKeyword(InboundSms message) {
        String keyword = keyword(message);
        return STOP.contains(keyword) || START.contains(keyword) || HELP.contains(keyword);
    }

    /** A step that only asks the next question: it neither ends the conversation nor opens a case. */
    private static boolean onlyAsks(Step step) {
        return step.commands().stream().noneMatch(c -> c instanceof Command.Transfer || Command.HANGUP.equals(c)
                || Command.AWAIT_CASE_REFERENCE.equals(c));
    }

    private Mono<List<String>> stored(InboundSms message) {
        return db.sql("SELECT reply FROM sms_replies WHERE provider = :p AND message_id = :id")
                .bind("p", message.provider()).bind("id", message.messageId())
                .map(r -> Arrays.asList(r.get(0, String[].class))).one();
    }

    /**
     * A message taken (or not: a redelivery), whether its sender had opted out, and the sender's open conversation
     * (locked until the transaction ends), if any.
     */
    private record Claim(boolean claimed, boolean optedOut, Optional<Open> open) {
    }

    /**
     * Takes a message id (a concurrent redelivery waits on the key, then finds it taken), and reads the sender's
     * opt-out and open conversation, in one statement.
     */
    private Mono<Claim> claimFrom(InboundSms message, byte[] hash) {
        Instant now = clock.instant();
        return db.sql("""
                        WITH claim AS (
                            INSERT INTO sms_replies (provider, message_id, reply, created_at) VALUES (:p, :id, '{}', :at)
                            ON CONFLICT DO NOTHING RETURNING 1),
                        open AS (
                            SELECT c.id, s.step, s.state::text AS state FROM calls c JOIN ivr_sessions s ON s.call_id = c.id
                            WHERE c.channel = 'SMS' AND c.caller_hash = :h AND c.ended_at IS NULL AND s.updated_at > :since
                            ORDER BY c.started_at DESC LIMIT 1 FOR UPDATE OF s)
                        SELECT EXISTS (SELECT 1 FROM claim) AS claimed,
                               EXISTS (SELECT 1 FROM sms_opt_outs WHERE sender_hash = :h) AS opted_out,
                               open.id, open.step, open.state
                        FROM (SELECT 1) AS one LEFT JOIN open ON true""")
                .bind("p", message.provider()).bind("id", message.messageId()).bind("at", utc(now))
                .bind("h", hash).bind("since", utc(now.minus(CONVERSATION)))
                .map(r -> new Claim(Boolean.TRUE.equals(r.get("claimed", Boolean.class)),
                        Boolean.TRUE.equals(r.get("opted_out", Boolean.class)),
                        Optional.ofNullable(r.get("id", UUID.class))
                                .map(id -> new Open(id, r.get("step", Integer.class), r.get("state", String.class)))))
                .one();
    }

    private Mono<List<String>> save(InboundSms message, List<String> reply) {
        return SqlPart.together(db, replyPart(message, reply)).then().thenReturn(reply);
    }

    /** The reply stored under the message id, for a redelivery. */
    private static SqlPart replyPart(InboundSms message, List<String> reply) {
        return new SqlPart("UPDATE sms_replies SET reply = :reply WHERE provider = :replyProvider AND message_id = :messageId",
                Map.of("reply", reply.toArray(String[]::new), "replyProvider", message.provider(), "messageId", message.messageId()));
    }

    /** Writes the message's change with its reply, in one statement; emits the reply. */
    private Mono<List<String>> answer(InboundSms message, List<String> reply, SqlPart... change) {
        List<SqlPart> parts = new ArrayList<>(List.of(change));
        parts.add(replyPart(message, reply));
        return SqlPart.together(db, parts).then().thenReturn(reply);
    }

    private Mono<List<String>> converse(InboundSms message, CallerId.Number number, byte[] hash, Claim claim) {
        String keyword = keyword(message);
        if (STOP.contains(keyword)) {
            return answer(message, List.of(text("stop.confirmed", Map.of())), new SqlPart(
                    "INSERT INTO sms_opt_outs (sender_hash, opted_out_at) VALUES (:h, :at) ON CONFLICT DO NOTHING",
                    Map.of("h", hash, "at", utc(clock.instant()))));
        }
        if (START.contains(keyword)) {
            return answer(message, List.of(text("start.confirmed", Map.of())),
                    new SqlPart("DELETE FROM sms_opt_outs WHERE sender_hash = :h", Map.of("h", hash)));
        }
        if (HELP.contains(keyword)) {
            return answer(message, List.of(text("help", Map.of())));
        }
        return claim.optedOut() ? Mono.just(List.of()) : step(message, number, claim.open());
    }

    private record Open(UUID callId, int step, String state) {
    }

    /**
     * A conversation: open already, or begun by this message (then with the sender's number, sealed); {@code step} is
     * the step this message takes.
     */
    private record Conversation(UUID callId, Optional<ProtectedNumber> newCaller, int step) {
    }

    private Mono<List<String>> step(InboundSms message, CallerId.Number number, Optional<Open> open) {
        if (open.isPresent()) {
            return take(message, new Conversation(open.get().callId(), Optional.empty(), open.get().step() + 1),
                    engine.step(SessionStateCodec.fromJson(open.get().state()), new Input.Text(message.text())));
        }
        return take(message, newConversation(number), firstStep(message, number));
    }

    /** A conversation this message begins, with the sender's number sealed. */
    private Conversation newConversation(CallerId.Number number) {
        return new Conversation(UUID.randomUUID(), Optional.of(personalData.protect(number, DataField.CALLER_NUMBER)), 0);
    }

    /** The engine's first step of a conversation, on the message that begins it. */
    private Step firstStep(InboundSms message, CallerId.Number number) {
        return engine.start(CallerContext.sms(number.e164(), message.to(), clock.instant(), message.text()));
    }

    /**
     * What the message does to its conversation: a new one's call record, session and CALL_STARTED, or an open one's
     * next step and state.
     */
    private List<SqlPart> opening(InboundSms message, Conversation conversation, SessionState state) {
        UUID id = conversation.callId();
        if (conversation.newCaller().isEmpty()) {
            return List.of(CallRecords.sessionState(id, state, OptionalInt.of(conversation.step())));
        }
        return List.of(
                CallRecords.newCall(id, "SMS", message.provider(), "sms/" + message.messageId(), "NUMBER",
                        conversation.newCaller(), Optional.empty(), state.receivedAt(), state),
                CallRecords.newSession(id, state),
                audit.part("startAudit", List.of(new AuditEntry(Actor.provider(message.provider()), AuditAction.CALL_STARTED,
                        new Subject("call", id.toString()), Map.of("channel", "SMS")))));
    }

    /**
     * One step. A step that only asks the next question is one statement with its reply; one that opens a case or
     * ends the conversation writes the conversation first (the case refers to the call), then the case, then the end.
     */
    private Mono<List<String>> take(InboundSms message, Conversation conversation, Step step) {
        TriageResult completed = null;
        for (Command command : step.commands()) {
            if (command instanceof Command.Complete complete) {
                completed = complete.result();
            }
        }
        TriageResult result = completed;
        UUID callId = conversation.callId();
        Instant receivedAt = step.state().receivedAt();
        boolean transfer = step.commands().stream().anyMatch(Command.Transfer.class::isInstance);
        boolean ends = transfer || step.commands().contains(Command.HANGUP);
        boolean awaitsReference = step.commands().contains(Command.AWAIT_CASE_REFERENCE);
        boolean opensCase = awaitsReference || (ends && result != null && result.opensCase());
        List<SqlPart> opening = opening(message, conversation, step.state());
        if (onlyAsks(step)) {
            return answer(message, replyTo(step), opening.toArray(SqlPart[]::new));
        }
        Mono<Void> written = SqlPart.together(db, opening).then();
        if (!opensCase) {
            return written.then(Mono.defer(() -> end(message, callId, step, result, "INFORMATION_GIVEN")));
        }
        return written.then(cases.open(new CaseIntake(result, receivedAt, Optional.of(callId)))).flatMap(opened -> {
            if (!awaitsReference) {
                return end(message, callId, step, result, transfer ? "CALLBACK_URGENT" : "INFORMATION_GIVEN");
            }
            Step next = engine.step(step.state(), new Input.CaseOpened(opened.reference()));
            List<Command> all = new ArrayList<>(step.commands());
            all.addAll(next.commands());
            return end(message, callId, new Step(all, next.state()), result, "REFERENCE_GIVEN");
        });
    }

    /** The conversation ends: its last state, the call's outcome and CALL_ENDED, and the reply, in one statement. */
    private Mono<List<String>> end(InboundSms message, UUID callId, Step step, TriageResult result, String outcome) {
        Instant at = clock.instant();
        return answer(message, replyTo(step),
                CallRecords.sessionState(callId, step.state(), OptionalInt.empty()),
                CallRecords.ending(callId, outcome, result != null ? result.path() : step.state().path(), Optional.empty(),
                        at, true),
                audit.part(CallRecords.endingAudit("sms", callId, outcome, Optional.empty(), true)));
    }

    private List<String> replyTo(Step step) {
        String reply = prompts.smsMessage(step.commands());
        return reply.isEmpty() ? List.of() : List.of(reply);
    }

    /** {@code OK <reference>} from an officer's phone acknowledges the case, as in the console. */
    private Mono<List<String>> acknowledge(byte[] senderHash, String reference) {
        Map<String, String> params = Map.of("reference", reference);
        return db.sql("""
                        SELECT u.username FROM officers o JOIN users u ON u.officer_id = o.id
                        WHERE o.phone_hash = :h AND o.active AND u.enabled ORDER BY u.username LIMIT 1""")
                .bind("h", senderHash)
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
