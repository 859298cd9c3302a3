package vn.hotline.gateway.cases;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.cases.internal.CaseNumbers;
import vn.hotline.gateway.cases.internal.CaseRepository;
import vn.hotline.gateway.outbox.Outbox;
import vn.hotline.gateway.outbox.OutboxMessage;
import vn.hotline.gateway.privacy.DataField;
import vn.hotline.gateway.privacy.Encrypted;
import vn.hotline.gateway.privacy.PersonalData;
import vn.hotline.gateway.routing.RoutingService;
import vn.hotline.gateway.security.StaffDirectory.Staff;
import vn.hotline.ivr.triage.Channel;
import vn.hotline.ivr.triage.LocationHint;
import vn.hotline.routing.calendar.StatutoryClock;
import vn.hotline.routing.calendar.StatutoryDeadline;
import vn.hotline.routing.decision.NotifyChannel;
import vn.hotline.routing.decision.RoutingDecision;
import vn.hotline.routing.decision.Rung;

/**
 * The life of a case: opened from a triage result and routed, then acknowledged, assessed, planned, worked, referred
 * and closed by staff. Every change is validated, written to {@code case_events} and to the audit log in the same
 * transaction; every staff read is audited.
 */
@Service
public class CaseService {

    /** Outbox destination for officer notifications (SMS; sent by the notification dispatcher). */
    public static final String OFFICER_NOTIFY = "officer-notify";
    /** Outbox destination for the national switchboard 111. */
    public static final String SWITCHBOARD_111 = "switchboard-111";
    /** Message type telling 111 how a case it referred to the province moves on: payload caseReference, state, sequence. */
    public static final String CASE_STATUS_FOR_111 = "case.status";

    private final CaseRepository cases;
    private final CaseNumbers numbers;
    private final RoutingService routing;
    private final PersonalData personalData;
    private final AuditLog audit;
    private final Outbox outbox;
    private final TransactionalOperator tx;
    private final Clock clock;
    private final ZoneId zone;
    private final CaseProperties properties;
    private final CaseChanges changes;

    CaseService(CaseRepository cases, CaseNumbers numbers, RoutingService routing, PersonalData personalData,
                AuditLog audit, Outbox outbox, TransactionalOperator tx, Clock clock, ZoneId businessZone,
                CaseProperties properties, CaseChanges changes) {
        this.cases = cases;
        this.numbers = numbers;
        this.routing = routing;
        this.personalData = personalData;
        this.audit = audit;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
        this.zone = businessZone;
        this.properties = properties;
        this.changes = changes;
    }

    /** Opens a case for a triage result, routes it, starts its clocks and notifies the first rung. */
    public Mono<OpenedCase> open(CaseIntake intake) {
        return prepare(intake).flatMap(this::store);
    }

    /**
     * The first half of {@link #open}: the case routed and numbered, nothing written yet. A caller who will hear the
     * reference can hear its first words while {@link #store} writes the case.
     */
    public Mono<PreparedCase> prepare(CaseIntake intake) {
        int year = intake.receivedAt().atZone(zone).getYear();
        String prefix = properties.referencePrefix();
        return routing.decide(intake.triage(), intake.receivedAt())
                .flatMap(decision -> numbers.next(prefix, year)
                        .map(n -> new PreparedCase(intake, decision, String.format("%s-%d-%06d", prefix, year, n))));
    }

    /** The second half of {@link #open}: writes the prepared case (a case that fails leaves a gap in the numbers). */
    public Mono<OpenedCase> store(PreparedCase prepared) {
        return openRouted(prepared.intake(), prepared.decision(), prepared.reference())
                .doOnNext(opened -> changes.publish(new CaseChange(opened.reference(), CaseChange.Kind.OPENED,
                        opened.decision().location().serviceArea(), clock.instant())));
    }

    /** Tells live pages, once the transaction committed, that a case changed. */
    private Mono<Void> published(Mono<CaseSummary> committed) {
        return committed.doOnNext(row -> changes.publish(new CaseChange(row.reference(), CaseChange.Kind.CHANGED,
                row.serviceArea(), clock.instant()))).then();
    }

    /** The case, its routing, history, deadlines, co-referrals, first notification and audit: one statement. */
    private Mono<OpenedCase> openRouted(CaseIntake intake, RoutingDecision decision, String reference) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        Optional<Encrypted> freeText = intake.triage().locationHint() instanceof LocationHint.FreeText text
                ? Optional.of(personalData.encrypt(text.text(), DataField.TRIAGE_TEXT))
                : Optional.empty();
        Actor system = Actor.system("routing");
        List<CaseRepository.Deadline> deadlines = new ArrayList<>();
        decision.acknowledgement().deadline().ifPresent(due -> deadlines.add(new CaseRepository.Deadline("ACKNOWLEDGEMENT", 0, due)));
        decision.deadlines().forEach(d -> deadlines.add(new CaseRepository.Deadline(deadlineKind(d), 0, d.dueAt())));
        List<CaseRepository.Referral> coReferrals = decision.coReferrals().stream()
                .map(r -> new CaseRepository.Referral(r.agency().name(), "case-" + id + "-" + r.agency().name(), r.basis().name()))
                .toList();
        return cases.open(id, reference, intake, decision, freeText, now, system.id(), deadlines, coReferrals, "routing",
                        outbox.part(notification(id, reference, decision.primary(), 0, intake.triage().urgency().name(), decision)
                                .stream().toList()),
                        audit.part(new AuditEntry(system, AuditAction.CASE_OPENED, new Subject("case", reference),
                                        Map.of("category", intake.triage().category().name(), "urgency", intake.triage().urgency().name(),
                                                "channel", intake.triage().channel().name())),
                                new AuditEntry(system, AuditAction.ROUTING_DECIDED, new Subject("case", reference),
                                        Map.of("primary", decision.primary().kind().name(), "nobodyOnCall", decision.nobodyOnCall(),
                                                "reasons", decision.reasons().stream().map(r -> r.code().name()).toList()))))
                .thenReturn(new OpenedCase(id, reference, decision));
    }

    /** The deadline kind stored for a statutory clock. */
    private static String deadlineKind(StatutoryDeadline deadline) {
        return deadline.clock() == StatutoryClock.EMERGENCY_PROTECTION_12H ? "EMERGENCY_PROTECTION" : "SUPPORT_PLAN";
    }

    /** Tells the officer of a rung that a case is theirs, through the outbox (sent by the notification dispatcher). */
    Mono<Void> notify(UUID id, String reference, Rung rung, int step, String urgency, RoutingDecision decision) {
        return notification(id, reference, rung, step, urgency, decision).map(outbox::enqueue).orElse(Mono.empty());
    }

    /** The notification of a rung's officer, when the rung has one and the decision notifies by SMS. */
    private Optional<OutboxMessage> notification(UUID id, String reference, Rung rung, int step, String urgency,
                                                 RoutingDecision decision) {
        if (rung.officerId().isEmpty() || !decision.channels().contains(NotifyChannel.SMS)) {
            return Optional.empty();
        }
        return Optional.of(new OutboxMessage(OFFICER_NOTIFY, "case.assigned", "case-" + id + "-rung-" + step,
                Map.of("reference", reference, "officerId", rung.officerId().get(), "urgency", urgency, "rung", rung.kind().name()),
                clock.instant()).forCase(id));
    }

    /** The cases a staff member may see, newest first, optionally in one status. */
    public Flux<CaseSummary> list(Staff viewer, Optional<CaseStatus> status, int limit) {
        return cases.list(viewer, status, Math.max(1, Math.min(limit, 500)));
    }

    /** Open cases a staff member may see, overdue ones on top, then the deadline falling first. */
    public Flux<QueueEntry> queue(Staff viewer, int limit) {
        return queue(viewer, limit, QueueFilter.none());
    }

    /** The same, narrowed as a live board's cell links to it. */
    public Flux<QueueEntry> queue(Staff viewer, int limit, QueueFilter filter) {
        return cases.queue(viewer, Math.max(1, Math.min(limit, 500)), filter);
    }

    /** One case with its history, routing and referrals; the read is audited. */
    public Mono<CaseDetail> read(String reference, Staff viewer) {
        return visible(reference, viewer)
                .flatMap(row -> Mono.zip(cases.events(row.id()).collectList(), cases.routingJson(row.id()),
                                cases.deadlinesOf(row.id()).collectList(), cases.referralsOf(row.id()).collectList())
                        .map(t -> new CaseDetail(row, t.getT2(), t.getT3(), t.getT4(),
                                t.getT1().stream().map(e -> e.withNote(decryptNote(e))).toList()))
                        .flatMap(detail -> audit.record(new AuditEntry(Actor.user(viewer.username()), AuditAction.CASE_READ,
                                new Subject("case", reference), Map.of())).thenReturn(detail)));
    }

    private Optional<String> decryptNote(CaseEvent event) {
        return event.sealedNote().map(n -> personalData.decrypt(n, DataField.CASE_NOTE));
    }

    /** The assignee (or anyone allowed) takes the case: stops the escalation clock. */
    public Mono<Void> acknowledge(String reference, Staff actor) {
        return transition(reference, CaseStatus.ACKNOWLEDGED, Optional.empty(), actor);
    }

    /** Moves a case to another status, with a reason where the law's forms need one. */
    public Mono<Void> transition(String reference, CaseStatus to, Optional<String> reason, Staff actor) {
        if (to.needsReason() && reason.filter(r -> !r.isBlank()).isEmpty()) {
            return Mono.error(CaseProblem.reasonRequired(to));
        }
        if (to == CaseStatus.ESCALATED || to == CaseStatus.RECEIVED || to == CaseStatus.ROUTED) {
            return Mono.error(CaseProblem.badRequest("system-transition", to + " is set by the system, not by staff"));
        }
        return published(tx.transactional(visibleForUpdate(reference, actor).flatMap(row -> {
            if (!row.status().canMoveTo(to)) {
                return Mono.error(CaseProblem.invalidTransition(row.status(), to));
            }
            return moved(row, to, reason, actor.username(), clock.instant(), Map.of()).thenReturn(row);
        })));
    }

    /**
     * Moves a case the caller holds locked to {@code to}: its status, the history, the deadlines it settles, what 111
     * must hear, and the audit (with {@code audited} added to the payload). The one way a person moves a case.
     */
    private Mono<Void> moved(CaseSummary row, CaseStatus to, Optional<String> reason, String actor, Instant now,
            Map<String, Object> audited) {
        Map<String, Object> payload = new LinkedHashMap<>(Map.of("from", row.status().name(), "to", to.name(),
                "reason", reason.orElse("")));
        payload.putAll(audited);
        return cases.updateStatus(row.id(), to, now)
                .then(cases.insertEvent(row.id(), now, actor, "TRANSITION", row.status(), to, reason.orElse(null), null))
                .then(settleDeadlines(row.id(), to, now, actor))
                .then(to == CaseStatus.CLOSED ? tell111Closed(row.id(), now) : Mono.empty())
                .then(mirrorTo111(row, to, now))
                .then(audit.record(new AuditEntry(Actor.user(actor), AuditAction.CASE_TRANSITIONED,
                        new Subject("case", row.reference()), payload)));
    }

    /**
     * Mirrors the closing of a case to 111 for each referral it has there (the sender waits until 111 accepted it).
     * The staff's reason stays here: it is free text and may name people.
     */
    private Mono<Void> tell111Closed(UUID id, Instant now) {
        return cases.referralKeys(id, ReferralTarget.SWITCHBOARD_111.name())
                .concatMap(key -> outbox.enqueue(new OutboxMessage(SWITCHBOARD_111, "referral.status",
                        key + "-closed-" + now.toEpochMilli(), Map.of("referralKey", key, "state", "CLOSED"), now).forCase(id)))
                .then();
    }

    /**
     * For a case 111 referred to the province, tells 111 how it moves on. The province is authoritative for these, so
     * it numbers its updates: the sequence is the case's count of status changes, taken under the case's row lock, so
     * it grows with every change and 111 applies the latest (the rule of ops/switchboard/openapi.yaml).
     */
    private Mono<Void> mirrorTo111(CaseSummary row, CaseStatus to, Instant now) {
        if (!Channel.SWITCHBOARD.name().equals(row.channel())) {
            return Mono.empty();
        }
        Optional<String> state = stateFor111(to);
        if (state.isEmpty()) {
            return Mono.empty();
        }
        return cases.statusChanges(row.id()).flatMap(sequence -> outbox.enqueue(new OutboxMessage(SWITCHBOARD_111,
                CASE_STATUS_FOR_111, "case-" + row.id() + "-status-" + sequence,
                Map.of("caseReference", row.reference(), "state", state.get(), "sequence", sequence), now).forCase(row.id())));
    }

    /** The contract's referral state for a case status; empty for the system's own steps before anyone took it. */
    static Optional<String> stateFor111(CaseStatus status) {
        switch (status) {
            case ACKNOWLEDGED:
                return Optional.of("ACCEPTED");
            case ASSESSED:
            case PLANNED:
            case IN_PROGRESS:
            case REFERRED:
            case REOPENED:
                return Optional.of("IN_PROGRESS");
            case CLOSED:
                return Optional.of("CLOSED");
            default:
                return Optional.empty();
        }
    }

    private Mono<Void> settleDeadlines(UUID id, CaseStatus to, Instant now, String by) {
        switch (to) {
            case ACKNOWLEDGED:
                return cases.settleDeadline(id, "ACKNOWLEDGEMENT", "MET", now, by);
            case ASSESSED:
                return cases.settleDeadline(id, "EMERGENCY_PROTECTION", "MET", now, by);
            case PLANNED:
                return cases.settleDeadline(id, "EMERGENCY_PROTECTION", "MET", now, by)
                        .then(cases.settleDeadline(id, "SUPPORT_PLAN", "MET", now, by));
            case CLOSED:
                return cases.settleDeadline(id, "ACKNOWLEDGEMENT", "CANCELLED", now, by)
                        .then(cases.settleDeadline(id, "EMERGENCY_PROTECTION", "CANCELLED", now, by))
                        .then(cases.settleDeadline(id, "SUPPORT_PLAN", "CANCELLED", now, by));
            default:
                return Mono.empty();
        }
    }

    /** Adds a note, encrypted at rest. */
    public Mono<Void> addNote(String reference, String text, Staff actor) {
        if (text == null || text.isBlank()) {
            return Mono.error(CaseProblem.badRequest("empty-note", "A note needs text"));
        }
        Encrypted note = personalData.encrypt(text, DataField.CASE_NOTE);
        return published(tx.transactional(visibleForUpdate(reference, actor).flatMap(row -> cases
                .insertEvent(row.id(), clock.instant(), actor.username(), "NOTE", null, null, null, note)
                .then(audit.record(new AuditEntry(Actor.user(actor.username()), AuditAction.CASE_NOTE_ADDED,
                        new Subject("case", reference), Map.of("note", text))))
                .thenReturn(row))));
    }

    /** Refers the case to another body; the case moves to REFERRED. Codes only: nothing that identifies anyone. */
    public Mono<Void> refer(String reference, ReferralTarget target, String reason, Staff actor) {
        return refer(reference, target, reason, Optional.empty(), actor);
    }

    /**
     * Refers the case to another body; the case moves to REFERRED. With {@code emergencyDetails}, the officer invokes
     * the emergency exception: a child is in danger and 111 needs to know who and where to act. Only towards 111 (the
     * one body reached through this server); the details are kept encrypted, as a note on the referral event and in
     * the outbox message, sent once to 111 and audited as a disclosure with who decided it and why.
     */
    public Mono<Void> refer(String reference, ReferralTarget target, String reason, Optional<String> emergencyDetails,
                            Staff actor) {
        if (reason == null || reason.isBlank()) {
            return Mono.error(CaseProblem.reasonRequired(CaseStatus.REFERRED));
        }
        Optional<String> details = emergencyDetails.filter(d -> !d.isBlank());
        if (details.isPresent() && target != ReferralTarget.SWITCHBOARD_111) {
            return Mono.error(CaseProblem.badRequest("disclosure-target",
                    "Identifying details under the emergency exception go to 111 only"));
        }
        Optional<Encrypted> sealed = details.map(d -> personalData.encrypt(d, DataField.CASE_NOTE));
        return published(tx.transactional(visibleForUpdate(reference, actor).flatMap(row -> {
            if (!row.status().canMoveTo(CaseStatus.REFERRED)) {
                return Mono.error(CaseProblem.invalidTransition(row.status(), CaseStatus.REFERRED));
            }
            Instant now = clock.instant();
            String key = "case-" + row.id() + "-" + target.name() + "-" + now.toEpochMilli();
            Mono<Void> to111 = target == ReferralTarget.SWITCHBOARD_111
                    ? outbox.enqueue(referralTo111(row, key, now, "API", sealed))
                    : Mono.empty();
            Mono<Void> disclosure = sealed.isEmpty() ? Mono.empty()
                    : audit.record(new AuditEntry(Actor.user(actor.username()), AuditAction.REFERRAL_EMERGENCY_DISCLOSURE,
                            new Subject("case", reference), Map.of("target", target.name(), "reason", reason, "key", key)));
            return cases.updateStatus(row.id(), CaseStatus.REFERRED, now)
                    .then(cases.insertEvent(row.id(), now, actor.username(), "REFERRED", row.status(), CaseStatus.REFERRED,
                            reason, sealed.orElse(null)))
                    .then(cases.insertReferral(row.id(), target.name(), key, reason, actor.username(), now))
                    .then(to111)
                    .then(mirrorTo111(row, CaseStatus.REFERRED, now))
                    .then(audit.record(new AuditEntry(Actor.user(actor.username()), AuditAction.REFERRAL_CREATED,
                            new Subject("case", reference), Map.of("target", target.name(), "reason", reason))))
                    .then(disclosure)
                    .thenReturn(row);
        })));
    }

    /** Gives the case to another officer (supervisors and admins only). */
    public Mono<Void> reassign(String reference, UUID officerId, String reason, Staff actor) {
        if (reason == null || reason.isBlank()) {
            return Mono.error(CaseProblem.badRequest("reason-required", "Reassigning a case needs a reason"));
        }
        return published(tx.transactional(visibleForUpdate(reference, actor).flatMap(row -> {
            if (!actor.seesAllAreas()) {
                return Mono.error(CaseProblem.forbidden("Only a supervisor can reassign a case"));
            }
            return cases.officerExists(officerId).flatMap(exists -> exists
                    ? cases.assign(row.id(), officerId, clock.instant())
                            .then(cases.insertEvent(row.id(), clock.instant(), actor.username(), "REASSIGNED", null, null, reason, null))
                            .then(audit.record(new AuditEntry(Actor.user(actor.username()), AuditAction.CASE_REASSIGNED,
                                    new Subject("case", reference), Map.of("officer", officerId.toString(), "reason", reason))))
                            .thenReturn(row)
                    : Mono.<CaseSummary>error(CaseProblem.badRequest("unknown-officer", "No active officer " + officerId)));
        })));
    }

    /** The 111 referral message: codes only, no identifying details. */
    OutboxMessage referralTo111(CaseSummary row, String key, Instant now) {
        return referralTo111(row, key, now, "API", Optional.empty());
    }

    /**
     * The 111 referral message: codes, and only under the emergency exception the officer's details, still sealed
     * (the outbox row is stored in clear JSON; the sender opens the seal just before the request).
     */
    private OutboxMessage referralTo111(CaseSummary row, String key, Instant now, String handOff, Optional<Encrypted> emergency) {
        Map<String, Object> payload = new LinkedHashMap<>(Map.of(
                "caseReference", row.reference(), "category", row.category(), "urgency", row.urgency(),
                "unitCode", row.unitCode().orElse(""), "ageBand", row.ageBand(), "reporterRole", row.reporterRole(),
                "handOff", handOff));
        emergency.ifPresent(sealed -> payload.put("emergencyDetails", Map.of(
                "cipher", Base64.getEncoder().encodeToString(sealed.ciphertext()), "keyId", sealed.keyId())));
        // After it, the referral's status changes: 111 must know a referral before it hears it closed.
        return new OutboxMessage(SWITCHBOARD_111, "referral.create", key, payload, now).forCase(row.id());
    }

    /**
     * After a caller was put through to 111 by voice, refers the case the call opened to 111, so the case summary
     * follows the caller through the API. Once per call (the idempotency key is the call's); emits the case reference,
     * or nothing when the call opened no case.
     */
    public Mono<String> referAfterVoiceHandOff(UUID callId, Instant at) {
        String key = "call-" + callId + "-" + ReferralTarget.SWITCHBOARD_111.name() + "-voice";
        String reason = "caller handed over to the national switchboard by voice";
        // 111 took the child: the ladder of acknowledgements stops, so no escalation refers the case to 111 again.
        return tx.transactional(cases.findByCall(callId).flatMap(row -> cases
                .insertReferral(row.id(), ReferralTarget.SWITCHBOARD_111.name(), key, reason, "voice-hand-off", at)
                .then(cases.settleDeadline(row.id(), "ACKNOWLEDGEMENT", "HANDED_OFF", at, "voice-hand-off"))
                .then(outbox.enqueue(referralTo111(row, key, at, "VOICE", Optional.empty())))
                .then(audit.record(new AuditEntry(Actor.system("voice-hand-off"), AuditAction.REFERRAL_CREATED,
                        new Subject("case", row.reference()), Map.of("target", ReferralTarget.SWITCHBOARD_111.name(),
                                "reason", reason, "call", callId.toString()))))
                .thenReturn(row.reference())));
    }

    /**
     * The officer on a rung of a voice ladder pressed 1 and is talking to the caller: accepting the call acknowledges
     * the case, by that officer, who now holds it (DESIGN 8). Audited under the officer's login (or roster id when
     * they have none). A case someone took up already is left as it is. Emits the case reference when it changed.
     */
    public Mono<String> acknowledgeByVoice(UUID callId, UUID officerId, Instant at) {
        Mono<CaseSummary> acknowledged = tx.transactional(cases.findByCall(callId)
                .filter(row -> row.status().awaitsAcknowledgement())
                .flatMap(row -> cases.officerActor(officerId).flatMap(actor -> cases.assign(row.id(), officerId, at)
                        .then(moved(row, CaseStatus.ACKNOWLEDGED, Optional.of(VOICE_ACCEPTANCE), actor, at,
                                Map.of("call", callId.toString())))
                        .thenReturn(row))));
        return acknowledged.doOnNext(row -> changes.publish(new CaseChange(row.reference(), CaseChange.Kind.CHANGED,
                row.serviceArea(), clock.instant()))).map(CaseSummary::reference);
    }

    /** The reason recorded when a case is acknowledged by taking its call. */
    public static final String VOICE_ACCEPTANCE = "accepted the call on the hotline ladder";

    private Mono<CaseSummary> visible(String reference, Staff viewer) {
        return cases.find(reference, false)
                .filter(row -> mayView(row, viewer))
                .switchIfEmpty(Mono.error(CaseProblem.notFound(reference)));
    }

    private Mono<CaseSummary> visibleForUpdate(String reference, Staff viewer) {
        return cases.find(reference, true)
                .filter(row -> mayView(row, viewer))
                .switchIfEmpty(Mono.error(CaseProblem.notFound(reference)));
    }

    static boolean mayView(CaseSummary row, Staff viewer) {
        if (viewer.seesAllAreas()) {
            return true;
        }
        boolean assigned = viewer.officerId().isPresent() && row.assignedOfficerId().equals(viewer.officerId());
        return assigned || row.serviceArea().map(viewer.serviceAreas()::contains).orElse(false);
    }
}
