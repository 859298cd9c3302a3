package vn.hotline.gateway.sms;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.db.SqlPart;
import vn.hotline.gateway.outbox.Outbox;
import vn.hotline.gateway.outbox.OutboxMessage;
import vn.hotline.ivr.triage.Language;

/**
 * The one text a caller may get: their case reference, when they asked for it at the end of a voice call (the IVR's
 * {@code TextReference}). Written to the outbox once per call, audited as the caller's request in the same statement;
 * the provider's sender finds the number sealed in the call record and the reference by the call.
 */
@Service
public class CallerTexts {

    /** Outbox destination of caller texts. */
    public static final String DESTINATION = "caller-notify";
    /** Message type of the case reference by text; payload {@code callId}, {@code language}. */
    public static final String REFERENCE = "reference.text";

    private final Outbox outbox;
    private final AuditLog audit;
    private final DatabaseClient db;
    private final Clock clock;

    CallerTexts(Outbox outbox, AuditLog audit, DatabaseClient db, Clock clock) {
        this.outbox = outbox;
        this.db = db;
        this.audit = audit;
        this.clock = clock;
    }

    /** The caller of {@code callId} asked for the case reference by text; one statement, in the step's transaction if any. */
    public Mono<Void> referenceRequested(UUID callId, Language language) {
        return SqlPart.together(db, referenceRequestedParts(callId, language)).then();
    }

    /** {@link #referenceRequested} as parts of the call's own statement (its end, say). */
    public List<SqlPart> referenceRequestedParts(UUID callId, Language language) {
        // Named apart: the call's own statement has its audit and outbox parts.
        return List.of(
                outbox.part("textOutbox", List.of(new OutboxMessage(DESTINATION, REFERENCE, "call-" + callId + "-reference-text",
                        Map.of("callId", callId.toString(), "language", language.tag()), clock.instant()))),
                audit.part("textAudit", List.of(new AuditEntry(Actor.caller(callId.toString()), AuditAction.CALLER_TEXT_REQUESTED,
                        new Subject("call", callId.toString()), Map.of("language", language.tag())))));
    }
}
