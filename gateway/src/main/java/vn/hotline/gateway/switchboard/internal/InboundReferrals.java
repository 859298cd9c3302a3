package vn.hotline.gateway.switchboard.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
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
import vn.hotline.gateway.privacy.DataField;
import vn.hotline.gateway.privacy.PersonalData;
import vn.hotline.ivr.triage.AgeBand;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.Channel;
import vn.hotline.ivr.triage.Consents;
import vn.hotline.ivr.triage.Language;
import vn.hotline.ivr.triage.LocationHint;
import vn.hotline.ivr.triage.ReporterRole;
import vn.hotline.ivr.triage.TriageResult;
import vn.hotline.ivr.triage.Urgency;

/**
 * Referrals 111 sends to the province. Each becomes a case routed exactly as a call would be (an unknown admin unit
 * routes to the duty supervisor), opened in one transaction with the row that remembers 111's reference, so a replay
 * of the same request finds that row and gets the same case reference, and nothing new is created.
 */
@Component
class InboundReferrals {

    private static final Logger log = LoggerFactory.getLogger(InboundReferrals.class);
    /** Why the summary event exists: the history shows it beside staff reasons, sealed like them. */
    private static final String SUMMARY_REASON = "summary from 111";

    /** A referral as 111 sends it (ops/switchboard/openapi.yaml, InboundReferral). */
    record Request(String referenceId, long sequence, Category category, Urgency urgency, Optional<String> adminUnitCode,
                   AgeBand ageBand, ReporterRole reporterRole, Language language, Optional<String> summary) {
    }

    /** Our answer: the case reference, and whether this request created it. */
    record Outcome(String caseReference, String referenceId, boolean created) {
    }

    private static final class LostRace extends RuntimeException {
        LostRace() {
            super("another request with this reference or idempotency key was first", null, false, false);
        }
    }

    private final CaseService cases;
    private final ReferralStore store;
    private final PersonalData personalData;
    private final AuditLog audit;
    private final TransactionalOperator tx;
    private final Clock clock;

    InboundReferrals(CaseService cases, ReferralStore store, PersonalData personalData, AuditLog audit,
                     TransactionalOperator tx, Clock clock) {
        this.cases = cases;
        this.store = store;
        this.personalData = personalData;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    Mono<Outcome> receive(Request request, String idempotencyKey, byte[] body) {
        byte[] digest = sha256(body);
        return store.inbound(request.referenceId())
                .map(existing -> replay(existing, digest))
                .switchIfEmpty(Mono.defer(() -> open(request, idempotencyKey, digest)))
                .onErrorResume(LostRace.class, race -> store.inbound(request.referenceId())
                        .map(existing -> replay(existing, digest))
                        .switchIfEmpty(Mono.error(new SwitchboardProblem(HttpStatus.CONFLICT, "idempotency-key-reused",
                                "This idempotency key was used for another 111 reference"))));
    }

    private Outcome replay(ReferralStore.Inbound existing, byte[] digest) {
        if (!MessageDigest.isEqual(existing.digest(), digest)) {
            throw new SwitchboardProblem(HttpStatus.CONFLICT, "reference-reused",
                    "111 reference " + existing.externalRef() + " was already received with a different body");
        }
        log.info("111 referral {} replayed: case {}", existing.externalRef(), existing.caseReference());
        return new Outcome(existing.caseReference(), existing.externalRef(), false);
    }

    private Mono<Outcome> open(Request request, String idempotencyKey, byte[] digest) {
        Instant now = clock.instant();
        LocationHint where = request.adminUnitCode().<LocationHint>map(LocationHint.Commune::new).orElse(LocationHint.NONE);
        TriageResult triage = new TriageResult(Channel.SWITCHBOARD, request.language(), request.urgency(), request.category(),
                request.reporterRole(), request.ageBand(), where, Consents.NONE, Optional.empty(),
                List.of("switchboard-111"));
        return tx.transactional(cases.open(new CaseIntake(triage, now, Optional.empty()))
                .flatMap(opened -> store.insertInbound(request.referenceId(), idempotencyKey, digest, opened.id(),
                                request.sequence(), now)
                        .flatMap(inserted -> inserted ? Mono.just(opened) : Mono.error(new LostRace())))
                .flatMap(opened -> request.summary()
                        .map(text -> store.insertSummaryNote(opened.id(), personalData.encrypt(text, DataField.CASE_NOTE),
                                personalData.encrypt(SUMMARY_REASON, DataField.REASON), now))
                        .orElse(Mono.empty())
                        .then(audit.record(new AuditEntry(Actor.provider("switchboard-111"), AuditAction.REFERRAL_RECEIVED,
                                new Subject("case", opened.reference()), Map.of("externalRef", request.referenceId(),
                                        "primary", opened.decision().primary().kind().name()))))
                        .thenReturn(new Outcome(opened.reference(), request.referenceId(), true))))
                .doOnNext(o -> log.info("111 referral {} opened case {}", o.referenceId(), o.caseReference()));
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
