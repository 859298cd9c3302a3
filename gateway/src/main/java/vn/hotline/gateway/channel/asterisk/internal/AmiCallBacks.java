package vn.hotline.gateway.channel.asterisk.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import io.r2dbc.spi.Readable;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.cases.CaseProblem;
import vn.hotline.gateway.channel.asterisk.AmiProperties;
import vn.hotline.gateway.channel.asterisk.AsteriskProperties;
import vn.hotline.gateway.channel.asterisk.CallBackRequest;
import vn.hotline.gateway.channel.asterisk.CallBackService;
import vn.hotline.gateway.channel.asterisk.CallBackView;
import vn.hotline.gateway.lease.Leases;
import vn.hotline.gateway.privacy.DataField;
import vn.hotline.gateway.privacy.PersonalData;
import vn.hotline.gateway.routing.OfficerPhones;
import vn.hotline.gateway.security.Role;
import vn.hotline.gateway.security.StaffDirectory.Staff;

/**
 * Call-backs: the requests staff make (with their limits), and each attempt's way from the officer's phone to the
 * child's, driven by the AMI events of the two channels. Transitions only move forward and each is guarded by the
 * state it leaves, so a duplicate or late event changes nothing.
 */
@Component
class AmiCallBacks implements CallBackService {

    /** Prefix of the ChannelIds we give Asterisk: only events of such channels can concern a call-back. */
    static final String CHANNEL_PREFIX = "hotline-cb-";

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final AuditLog audit;
    private final PersonalData personalData;
    private final OfficerPhones officerPhones;
    private final AmiProperties properties;
    private final AsteriskProperties asterisk;
    private final Clock clock;
    private final ZoneId zone;

    AmiCallBacks(DatabaseClient db, TransactionalOperator tx, AuditLog audit, PersonalData personalData,
            OfficerPhones officerPhones, AmiProperties properties, AsteriskProperties asterisk, Clock clock,
            ZoneId businessZone) {
        this.db = db;
        this.tx = tx;
        this.audit = audit;
        this.personalData = personalData;
        this.officerPhones = officerPhones;
        this.properties = properties;
        this.asterisk = asterisk;
        this.clock = clock;
        this.zone = businessZone;
    }

    private record CaseRow(UUID id, String urgency, String area, UUID assigned, boolean hasNumber, String provider,
                           String providerCallId) {
    }

    @Override
    public Mono<CallBackView> request(CallBackRequest request, Staff staff) {
        Instant now = clock.instant();
        return tx.transactional(db.sql("""
                        SELECT k.id, k.urgency, k.service_area_code, k.assigned_officer_id,
                               c.caller_cipher IS NOT NULL AS has_number, c.provider, c.provider_call_id
                        FROM cases k LEFT JOIN calls c ON c.id = k.call_id WHERE k.reference = :ref FOR UPDATE OF k""")
                .bind("ref", request.caseReference())
                .map(r -> new CaseRow(r.get("id", UUID.class), r.get("urgency", String.class),
                        r.get("service_area_code", String.class), r.get("assigned_officer_id", UUID.class),
                        Boolean.TRUE.equals(r.get("has_number", Boolean.class)), r.get("provider", String.class),
                        r.get("provider_call_id", String.class)))
                .one()
                .filter(k -> visible(k, staff))
                .switchIfEmpty(Mono.error(new CaseProblem(HttpStatus.NOT_FOUND, "case-not-found", "No case " + request.caseReference())))
                .flatMap(k -> checked(k, request, staff, now)));
    }

    private Mono<CallBackView> checked(CaseRow k, CallBackRequest request, Staff staff, Instant now) {
        UUID officer;
        if (staff.role() == Role.OFFICER) {
            if (staff.officerId().isEmpty() || request.officerId().filter(o -> !o.equals(staff.officerId().get())).isPresent()) {
                return Mono.error(new CaseProblem(HttpStatus.FORBIDDEN, "callback-officer",
                        "An officer asks for call-backs to their own phone"));
            }
            officer = staff.officerId().get();
        } else if (request.officerId().isPresent()) {
            officer = request.officerId().get();
        } else {
            return Mono.error(new CaseProblem(HttpStatus.UNPROCESSABLE_CONTENT, "callback-officer-required",
                    "Name the officer whose phone rings first"));
        }
        if (!k.hasNumber()) {
            return Mono.error(new CaseProblem(HttpStatus.CONFLICT, "callback-no-number", "The caller's number is withheld or erased"));
        }
        boolean urgent = "IMMEDIATE".equals(k.urgency()) || "HIGH".equals(k.urgency());
        if (!urgent && isNight(now) && !request.nightOverride()) {
            return Mono.error(new CaseProblem(HttpStatus.CONFLICT, "callback-night",
                    "No call-back at night for a case that is not urgent, unless the officer decides"));
        }
        Optional<String> server = serverFor(k);
        if (server.isEmpty()) {
            return Mono.error(new CaseProblem(HttpStatus.SERVICE_UNAVAILABLE, "callback-unavailable", "No AMI connection is configured"));
        }
        return db.sql("SELECT count(*) AS n, count(*) FILTER (WHERE state <> 'ENDED') AS open FROM callbacks WHERE case_id = :case")
                .bind("case", k.id())
                .map(r -> new long[] {r.get("n", Long.class), r.get("open", Long.class)})
                .one()
                .flatMap(counts -> {
                    if (counts[1] > 0) {
                        return Mono.error(new CaseProblem(HttpStatus.CONFLICT, "callback-in-progress", "A call-back of this case is under way"));
                    }
                    if (counts[0] >= properties.callback().maxAttempts()) {
                        return Mono.error(new CaseProblem(HttpStatus.CONFLICT, "callback-attempts-exhausted",
                                "This case has had " + counts[0] + " call-back attempts, the most allowed"));
                    }
                    int attempt = (int) counts[0] + 1;
                    UUID id = UUID.randomUUID();
                    String channel = CHANNEL_PREFIX + id;
                    Map<String, Object> payload = new LinkedHashMap<>();
                    payload.put("callback", id.toString());
                    payload.put("attempt", attempt);
                    payload.put("officer", officer.toString());
                    payload.put("nightOverride", request.nightOverride());
                    payload.put("urgency", k.urgency());
                    return db.sql("""
                                    INSERT INTO callbacks (id, case_id, attempt, asterisk, officer_id, authorised_by, night_override,
                                                           state, officer_channel, child_channel, requested_at, updated_at)
                                    VALUES (:id, :case, :attempt, :asterisk, :officer, :by, :night, 'REQUESTED', :oc, :cc, :at, :at)""")
                            .bind("id", id).bind("case", k.id()).bind("attempt", attempt).bind("asterisk", server.get())
                            .bind("officer", officer).bind("by", staff.username()).bind("night", request.nightOverride())
                            .bind("oc", channel + "-o").bind("cc", channel + "-c").bind("at", CallStore.utc(now))
                            .then()
                            .then(audit.record(new AuditEntry(Actor.user(staff.username()), AuditAction.CALLBACK_REQUESTED,
                                    new Subject("case", request.caseReference()), payload)))
                            .thenReturn(new CallBackView(id, request.caseReference(), attempt, officer, staff.username(),
                                    request.nightOverride(), "REQUESTED", Optional.empty(), now, Optional.empty(), Optional.empty()));
                });
    }

    @Override
    public Flux<CallBackView> ofCase(String caseReference, Staff staff) {
        return db.sql("""
                        SELECT k.id, k.urgency, k.service_area_code, k.assigned_officer_id FROM cases k WHERE k.reference = :ref""")
                .bind("ref", caseReference)
                .map(r -> new CaseRow(r.get("id", UUID.class), r.get("urgency", String.class), r.get("service_area_code", String.class),
                        r.get("assigned_officer_id", UUID.class), false, null, null))
                .one()
                .filter(k -> visible(k, staff))
                .switchIfEmpty(Mono.error(new CaseProblem(HttpStatus.NOT_FOUND, "case-not-found", "No case " + caseReference)))
                .flatMapMany(k -> db.sql("""
                                SELECT id, attempt, officer_id, authorised_by, night_override, state, outcome, requested_at,
                                       connected_at, ended_at FROM callbacks WHERE case_id = :case ORDER BY attempt""")
                        .bind("case", k.id())
                        .map(r -> view(r, caseReference))
                        .all());
    }

    private static CallBackView view(Readable r, String reference) {
        return new CallBackView(r.get("id", UUID.class), reference, r.get("attempt", Integer.class), r.get("officer_id", UUID.class),
                r.get("authorised_by", String.class), Boolean.TRUE.equals(r.get("night_override", Boolean.class)),
                r.get("state", String.class), Optional.ofNullable(r.get("outcome", String.class)),
                r.get("requested_at", OffsetDateTime.class).toInstant(),
                Optional.ofNullable(r.get("connected_at", OffsetDateTime.class)).map(OffsetDateTime::toInstant),
                Optional.ofNullable(r.get("ended_at", OffsetDateTime.class)).map(OffsetDateTime::toInstant));
    }

    private static boolean visible(CaseRow k, Staff staff) {
        return staff.seesAllAreas() || staff.serviceAreas().contains(k.area())
                || staff.officerId().filter(o -> o.equals(k.assigned())).isPresent();
    }

    private Optional<String> serverFor(CaseRow k) {
        List<AmiProperties.Server> servers = properties.servers();
        if (servers.isEmpty()) {
            return Optional.empty();
        }
        if (CallStore.PROVIDER.equals(k.provider()) && k.providerCallId() != null && k.providerCallId().contains("/")) {
            String system = k.providerCallId().substring(0, k.providerCallId().indexOf('/'));
            Optional<String> own = servers.stream().map(AmiProperties.Server::systemName).filter(system::equals).findFirst();
            if (own.isPresent()) {
                return own;
            }
        }
        return Optional.of(servers.get(0).systemName());
    }

    private boolean isNight(Instant now) {
        LocalTime t = now.atZone(zone).toLocalTime();
        LocalTime start = properties.callback().nightStart();
        LocalTime end = properties.callback().nightEnd();
        return start.isAfter(end) ? !t.isBefore(start) || t.isBefore(end) : !t.isBefore(start) && t.isBefore(end);
    }

    /**
     * Claims the call-backs of this Asterisk that wait to be dialled (under the lease's fence) and returns the
     * Originate of each officer's leg; the number is decrypted here, for this dial only.
     */
    Flux<AmiOriginate> claimDue(Leases leases, String lease, String server) {
        Instant now = clock.instant();
        Flux<Object[]> claimed = tx.transactional(leases.holdWithin(lease).flatMapMany(held -> !held ? Flux.empty() : db.sql("""
                        UPDATE callbacks SET state = 'CALLING_OFFICER', updated_at = :now
                        WHERE id IN (SELECT id FROM callbacks WHERE asterisk = :asterisk AND state = 'REQUESTED'
                                     ORDER BY requested_at LIMIT 10 FOR UPDATE SKIP LOCKED)
                        RETURNING id, officer_id, officer_channel""")
                .bind("now", CallStore.utc(now)).bind("asterisk", server)
                .map(r -> new Object[] {r.get("id", UUID.class), r.get("officer_id", UUID.class), r.get("officer_channel", String.class)})
                .all()));
        return claimed.concatMap(row -> officerPhones.number((UUID) row[1])
                .map(number -> new AmiOriginate((UUID) row[0], (String) row[2], dial(number), properties.callback().context(),
                        null, null, properties.callback().officerRing(), properties.callback().callerId(),
                        Map.of("HOTLINE_CALLBACK", row[0].toString())))
                .switchIfEmpty(end((UUID) row[0], "CALLING_OFFICER", "FAILED").then(Mono.empty())));
    }

    /** The Originate of the child's leg of a call-back whose officer confirmed: the number decrypted for this dial only. */
    Mono<AmiOriginate> childLeg(UUID callbackId) {
        return db.sql("""
                        SELECT b.child_channel, b.officer_chan_name, c.caller_cipher, c.caller_key_id
                        FROM callbacks b JOIN cases k ON k.id = b.case_id JOIN calls c ON c.id = k.call_id
                        WHERE b.id = :id AND b.state = 'CALLING_CHILD' AND c.caller_cipher IS NOT NULL""")
                .bind("id", callbackId)
                .map(r -> new AmiOriginate(callbackId, r.get("child_channel", String.class),
                        dial(personalData.reveal(r.get("caller_cipher", byte[].class), r.get("caller_key_id", String.class),
                                DataField.CALLER_NUMBER)),
                        null, "Bridge", r.get("officer_chan_name", String.class), properties.callback().childRing(),
                        properties.callback().callerId(), Map.of("HOTLINE_CALLBACK", callbackId.toString())))
                .one()
                .filter(o -> o.data() != null)
                .switchIfEmpty(end(callbackId, "CALLING_CHILD", "FAILED").then(Mono.empty()));
    }

    /** An Originate that could not be sent ends its call-back. */
    Mono<Void> sendFailed(UUID callbackId) {
        return tx.transactional(end(callbackId, null, "FAILED"));
    }

    private String dial(String e164) {
        return asterisk.dialTemplate().replace("{number}", e164);
    }

    private record Row(UUID id, String state, boolean officerLeg, boolean answered) {
    }

    /**
     * Moves a call-back on after one of its channels' events (inside the event's transaction); returns the call-back
     * whose child must now be dialled, when the officer just confirmed.
     */
    Mono<Optional<UUID>> apply(AmiEvent e, Instant now) {
        String channel = e.uniqueid() != null && e.uniqueid().startsWith(CHANNEL_PREFIX) ? e.uniqueid()
                : e.field("destUniqueid").filter(d -> d.startsWith(CHANNEL_PREFIX)).orElse(null);
        if (channel == null) {
            return Mono.just(Optional.empty());
        }
        return db.sql("""
                        SELECT id, state, officer_channel = :ch AS officer_leg, officer_answered_at IS NOT NULL AS answered
                        FROM callbacks WHERE officer_channel = :ch OR child_channel = :ch FOR UPDATE""")
                .bind("ch", channel)
                .map(r -> new Row(r.get("id", UUID.class), r.get("state", String.class),
                        Boolean.TRUE.equals(r.get("officer_leg", Boolean.class)), Boolean.TRUE.equals(r.get("answered", Boolean.class))))
                .one()
                .flatMap(row -> row.officerLeg() ? officerLeg(row, e, now) : childLeg(row, e, now))
                .defaultIfEmpty(Optional.empty());
    }

    private Mono<Optional<UUID>> officerLeg(Row row, AmiEvent e, Instant now) {
        String status = e.fields().getOrDefault("dialStatus", "");
        switch (e.name()) {
            case "Newchannel":
                return set(row.id(), "officer_chan_name = COALESCE(officer_chan_name, :v)", e.fields().get("channel"));
            case "DialEnd":
                if ("ANSWER".equals(status)) {
                    return set(row.id(), "officer_answered_at = COALESCE(officer_answered_at, :v)", CallStore.utc(e.at()));
                }
                return end(row.id(), "CALLING_OFFICER", "BUSY".equals(status) ? "OFFICER_BUSY" : "OFFICER_NO_ANSWER").thenReturn(Optional.empty());
            case "UserEvent:CallBackConfirm":
                if ("CONFIRMED".equals(e.fields().get("result"))) {
                    return db.sql("""
                                    UPDATE callbacks SET state = 'CALLING_CHILD', confirmed_at = :at, updated_at = :now
                                    WHERE id = :id AND state = 'CALLING_OFFICER'""")
                            .bind("at", CallStore.utc(e.at())).bind("now", CallStore.utc(now)).bind("id", row.id())
                            .fetch().rowsUpdated()
                            .map(n -> n == 1 ? Optional.of(row.id()) : Optional.<UUID>empty());
                }
                return end(row.id(), "CALLING_OFFICER", "OFFICER_DECLINED").thenReturn(Optional.empty());
            case "Hangup":
                String cause = e.fields().getOrDefault("cause", "");
                return end(row.id(), "CALLING_OFFICER", row.answered() ? "OFFICER_DECLINED" : "17".equals(cause) ? "OFFICER_BUSY" : "OFFICER_NO_ANSWER")
                        .then(end(row.id(), "CALLING_CHILD", "OFFICER_LEFT"))
                        .then(end(row.id(), "CONNECTED", "CONNECTED"))
                        .thenReturn(Optional.empty());
            case "OriginateResponse":
                if ("Failure".equalsIgnoreCase(e.fields().get("response"))) {
                    return failureOutcome(e.uniqueid(), "OFFICER_").flatMap(o -> end(row.id(), "CALLING_OFFICER", o)).thenReturn(Optional.empty());
                }
                return Mono.just(Optional.empty());
            default:
                return Mono.just(Optional.empty());
        }
    }

    private Mono<Optional<UUID>> childLeg(Row row, AmiEvent e, Instant now) {
        String status = e.fields().getOrDefault("dialStatus", "");
        switch (e.name()) {
            case "DialEnd":
                if ("ANSWER".equals(status)) {
                    return Mono.just(Optional.empty());
                }
                return end(row.id(), "CALLING_CHILD", "BUSY".equals(status) ? "CHILD_BUSY" : "CHILD_NO_ANSWER").thenReturn(Optional.empty());
            case "BridgeEnter":
                return db.sql("""
                                UPDATE callbacks SET state = 'CONNECTED', connected_at = :at, updated_at = :now
                                WHERE id = :id AND state = 'CALLING_CHILD'""")
                        .bind("at", CallStore.utc(e.at())).bind("now", CallStore.utc(now)).bind("id", row.id())
                        .then().thenReturn(Optional.empty());
            case "Hangup":
                String cause = e.fields().getOrDefault("cause", "");
                return end(row.id(), "CALLING_CHILD", "17".equals(cause) ? "CHILD_BUSY" : "CHILD_NO_ANSWER")
                        .then(end(row.id(), "CONNECTED", "CONNECTED"))
                        .thenReturn(Optional.empty());
            case "OriginateResponse":
                if ("Failure".equalsIgnoreCase(e.fields().get("response"))) {
                    return failureOutcome(e.uniqueid(), "CHILD_").flatMap(o -> end(row.id(), "CALLING_CHILD", o)).thenReturn(Optional.empty());
                }
                return Mono.just(Optional.empty());
            default:
                return Mono.just(Optional.empty());
        }
    }

    /** A failed Originate says Reason 0 even for busy (fixtures): the leg's own DialEnd or Hangup cause tells. */
    private Mono<String> failureOutcome(String channelId, String leg) {
        return db.sql("""
                        SELECT count(*) FILTER (WHERE (event = 'DialEnd' AND fields->>'dialStatus' = 'BUSY')
                                                   OR (event = 'Hangup' AND fields->>'cause' = '17')) AS busy
                        FROM ami_events WHERE uniqueid = :ch OR fields->>'destUniqueid' = :ch""")
                .bind("ch", channelId)
                .map(r -> r.get("busy", Long.class))
                .one()
                .map(busy -> leg + (busy > 0 ? "BUSY" : "NO_ANSWER"));
    }

    private Mono<Optional<UUID>> set(UUID id, String assignment, Object value) {
        if (value == null) {
            return Mono.just(Optional.empty());
        }
        return db.sql("UPDATE callbacks SET " + assignment + " WHERE id = :id").bind("v", value).bind("id", id)
                .then().thenReturn(Optional.empty());
    }

    /** Ends the call-back with this outcome if it is still in {@code from} (any unended state when null); audited once. */
    private Mono<Void> end(UUID id, String from, String outcome) {
        Instant now = clock.instant();
        return db.sql("""
                        UPDATE callbacks b SET state = 'ENDED', outcome = :outcome, ended_at = :now, updated_at = :now
                        FROM cases k
                        WHERE b.id = :id AND k.id = b.case_id AND b.state <> 'ENDED' AND (:from = '' OR b.state = :from)
                        RETURNING k.reference, b.attempt""")
                .bind("outcome", outcome).bind("now", CallStore.utc(now)).bind("id", id).bind("from", from == null ? "" : from)
                .map(r -> new Object[] {r.get("reference", String.class), r.get("attempt", Integer.class)})
                .one()
                .flatMap(r -> audit.record(new AuditEntry(Actor.provider(CallStore.PROVIDER), AuditAction.CALLBACK_ENDED,
                        new Subject("case", (String) r[0]), Map.of("callback", id.toString(), "attempt", r[1], "outcome", outcome))));
    }
}
