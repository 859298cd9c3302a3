package vn.hotline.gateway.console.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionManager;
import org.springframework.web.server.session.WebSessionStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.cases.CaseChange;
import vn.hotline.gateway.cases.CaseChanges;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.cases.QueueFilter;
import vn.hotline.gateway.console.ConsoleProperties;
import vn.hotline.gateway.security.SecurityConfig;
import vn.hotline.gateway.security.StaffDirectory.Staff;

/** Login, the 403 page, and the queue: open cases by deadline, kept live by server-sent events. */
@Controller
class QueuePages {

    private final CaseService cases;
    private final CaseChanges changes;
    private final ConsoleStaff staff;
    private final DatabaseClient db;
    private final ConsoleProperties properties;
    private final Optional<WebSessionStore> sessions;
    private final Clock clock;

    QueuePages(CaseService cases, CaseChanges changes, ConsoleStaff staff, DatabaseClient db, ConsoleProperties properties,
               ObjectProvider<WebSessionManager> sessionManager, Clock clock) {
        this.clock = clock;
        this.cases = cases;
        this.changes = changes;
        this.staff = staff;
        this.db = db;
        this.properties = properties;
        // No session manager outside a web server (the command line): nothing to keep alive.
        this.sessions = sessionManager.getIfAvailable() instanceof DefaultWebSessionManager manager
                ? Optional.of(manager.getSessionStore()) : Optional.empty();
    }

    /**
     * The login form, with one notice when there is something to say: the last attempt failed (the user name kept),
     * the user logged out, or their session expired. A first visit shows none.
     */
    @GetMapping(SecurityConfig.CONSOLE_LOGIN)
    String login(ServerWebExchange exchange, Model model) {
        var query = exchange.getRequest().getQueryParams();
        model.addAttribute("loginFailed", query.containsKey("error"));
        model.addAttribute("loggedOut", query.containsKey("logout"));
        model.addAttribute("sessionExpired", query.containsKey("expired") && !query.containsKey("error"));
        model.addAttribute("username", Optional.ofNullable(query.getFirst("username")).orElse(""));
        return "console/login";
    }

    /** For the page's script after its live stream broke: 204 while the session lasts, 401 once it is over. */
    @GetMapping("/console/session")
    @ResponseBody
    Mono<ResponseEntity<Void>> session(ServerWebExchange exchange) {
        return staff.of(exchange).map(s -> ResponseEntity.noContent().<Void>build());
    }

    /** What a person sees for a console address that does not exist ({@link ConsoleNotFound}). */
    @RequestMapping(ConsoleNotFound.PAGE)
    String notFound(ServerWebExchange exchange, Model model) {
        exchange.getResponse().setStatusCode(HttpStatus.NOT_FOUND);
        model.addAttribute("status", HttpStatus.NOT_FOUND.value());
        return "console/problem";
    }

    /** Where the security chain sends a request the user's role may not make (any method). */
    @RequestMapping(SecurityConfig.CONSOLE_FORBIDDEN)
    String forbidden(ServerWebExchange exchange, Model model) {
        exchange.getResponse().setStatusCode(HttpStatus.FORBIDDEN);
        model.addAttribute("status", HttpStatus.FORBIDDEN.value());
        return "console/problem";
    }

    /** The queue; {@code ?area=550&view=waiting} narrows it as a live board's cell links to it. */
    @GetMapping({SecurityConfig.CONSOLE_HOME, SecurityConfig.CONSOLE_HOME + "/"})
    Mono<String> queue(ServerWebExchange exchange, Model model) {
        return entries(exchange, model).thenReturn("console/queue");
    }

    /** The queue's rows alone, which the page fetches again whenever the event stream says something changed. */
    @GetMapping("/console/queue/rows")
    Mono<String> rows(ServerWebExchange exchange, Model model) {
        return entries(exchange, model).thenReturn("console/queue :: rows");
    }

    private Mono<Void> entries(ServerWebExchange exchange, Model model) {
        var query = exchange.getRequest().getQueryParams();
        // "-" names the cases routing could not place; an empty area is no filter.
        QueueFilter filter = new QueueFilter(Optional.ofNullable(query.getFirst("area")).map(String::strip)
                        .filter(a -> !a.isEmpty()).map(a -> a.equals("-") ? "" : a),
                QueueFilter.View.parse(query.getFirst("view")), clock.instant().plus(properties.atRisk()));
        model.addAttribute("filter", filter);
        return staff.of(exchange).flatMap(s -> cases.queue(s, properties.queueLimit(), filter).collectList())
                .doOnNext(entries -> model.addAttribute("entries", entries))
                .then();
    }

    /**
     * Tells the page when its queue changed: at once for changes made on this node (the case service's events), and
     * within {@code hotline.console.live-poll} for changes made on other nodes (a cheap look at the newest change in
     * the viewer's scope). Events carry only the kind of change; the page fetches the rows it may see.
     */
    @GetMapping(path = "/console/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    Flux<ServerSentEvent<String>> events(ServerWebExchange exchange) {
        return staff.of(exchange).flatMapMany(viewer -> {
            Flux<ServerSentEvent<String>> local = changes.stream()
                    .filter(change -> concerns(change, viewer))
                    .map(change -> ServerSentEvent.builder(change.kind().name()).event("case").build());
            Flux<ServerSentEvent<String>> elsewhere = Flux.interval(properties.livePoll())
                    .concatMap(tick -> newest(viewer))
                    .distinctUntilChanged()
                    .skip(1)
                    .map(newest -> ServerSentEvent.builder(CaseChange.Kind.CHANGED.name()).event("case").build());
            // Each heartbeat also counts as the user's activity: an open queue keeps its session alive through a
            // quiet night, and the session expires as usual once the page is closed.
            Flux<ServerSentEvent<String>> heartbeat = Flux.interval(properties.heartbeat())
                    .onBackpressureDrop()
                    .concatMap(tick -> touch(exchange).thenReturn(ServerSentEvent.<String>builder().comment("").build()));
            // Sent at once so the browser sees the stream open (headers go out with the first element), with the
            // delay before it reconnects after a drop.
            ServerSentEvent<String> opening = ServerSentEvent.<String>builder().comment("").retry(properties.livePoll()).build();
            return Flux.merge(local, elsewhere, heartbeat).startWith(opening);
        });
    }

    /** Marks the session as used now, as a request would. */
    private Mono<Void> touch(ServerWebExchange exchange) {
        return sessions.map(store -> exchange.getSession().flatMap(store::updateLastAccessTime).then()).orElse(Mono.empty());
    }

    private static boolean concerns(CaseChange change, Staff viewer) {
        return viewer.seesAllAreas() || change.serviceArea().map(viewer.serviceAreas()::contains).orElse(false);
    }

    /** The newest change among the open cases a viewer may see (a token that changes when anything changed). */
    private Mono<String> newest(Staff viewer) {
        var spec = db.sql("""
                        SELECT max(updated_at) AS newest, count(*) AS open FROM cases
                        WHERE status <> 'CLOSED' AND (:all OR service_area_code = ANY(:areas) OR assigned_officer_id = :me)""")
                .bind("all", viewer.seesAllAreas())
                .bind("areas", viewer.serviceAreas().toArray(String[]::new));
        Optional<UUID> me = viewer.officerId();
        spec = me.isPresent() ? spec.bind("me", me.get()) : spec.bindNull("me", UUID.class);
        return spec.map(row -> Objects.toString(row.get("newest", OffsetDateTime.class)) + "/" + row.get("open", Long.class))
                .one()
                .timeout(Duration.ofSeconds(5), Mono.empty());
    }
}
