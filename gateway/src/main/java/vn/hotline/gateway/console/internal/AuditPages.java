package vn.hotline.gateway.console.internal;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditChain;
import vn.hotline.gateway.audit.VerificationProgress;
import vn.hotline.gateway.audit.VerificationReport;

/** The audit chain's state for supervisors, and "verify now" with its progress streamed to the page. */
@Controller
class AuditPages {

    private final AuditChain chain;
    private final ConsoleStaff staff;

    AuditPages(AuditChain chain, ConsoleStaff staff) {
        this.chain = chain;
        this.staff = staff;
    }

    @GetMapping("/console/audit")
    Mono<String> status(ServerWebExchange exchange, Model model) {
        return staff.supervisor(exchange).then(chain.status()).map(status -> {
            model.addAttribute("chain", status);
            return "console/audit";
        });
    }

    /**
     * Recomputes the chain (recorded as AUDIT_VERIFIED by the chain itself): {@code progress} events carry
     * "checked total", the last {@code report} event "INTACT checked total" or "BROKEN problem seq".
     */
    @GetMapping(path = "/console/audit/verification", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    Flux<ServerSentEvent<String>> verify(ServerWebExchange exchange) {
        return staff.supervisor(exchange).flatMapMany(viewer -> chain.verify(Actor.user(viewer.username())))
                .map(AuditPages::event);
    }

    private static ServerSentEvent<String> event(VerificationProgress progress) {
        VerificationReport report = progress.report();
        if (report == null) {
            return ServerSentEvent.builder(progress.checked() + " " + progress.total()).event("progress").build();
        }
        String data = report.intact()
                ? "INTACT " + report.checked() + " " + report.total()
                : "BROKEN " + report.firstBreak().problem() + " " + report.firstBreak().seq();
        return ServerSentEvent.builder(data).event("report").build();
    }
}
