package vn.hotline.gateway.console.internal;

import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.cases.CaseProblem;
import vn.hotline.gateway.security.StaffDirectory.Staff;

/** What every console page needs (the CSRF token, who is logged in, the language) and the console's error pages. */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
class ConsoleModel {

    /** Statuses with their own message (problem.NNN); others show the generic one. */
    private static final java.util.Set<Integer> MESSAGES_FOR = java.util.Set.of(400, 403, 409);

    private final ConsoleStaff staff;

    ConsoleModel(ConsoleStaff staff) {
        this.staff = staff;
    }

    /** Subscribing here makes the CSRF filter create the token; forms put it in a hidden field. */
    @ModelAttribute("_csrf")
    Mono<CsrfToken> csrf(ServerWebExchange exchange) {
        Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
        return token == null ? Mono.empty() : token;
    }

    @ModelAttribute("me")
    Mono<Staff> me(ServerWebExchange exchange) {
        return staff.ifLoggedIn(exchange);
    }

    /** The page's own path, for the language links. */
    @ModelAttribute("path")
    String path(ServerWebExchange exchange) {
        return exchange.getRequest().getPath().pathWithinApplication().value();
    }

    @ModelAttribute("lang")
    String lang(Locale locale) {
        return locale.getLanguage();
    }

    /**
     * A case or call the user may not see, or that does not exist, answers the same 403 page: an officer learns
     * nothing about cases outside their areas. Other problems show their own page with their status.
     */
    @ExceptionHandler(CaseProblem.class)
    String problem(CaseProblem problem, ServerWebExchange exchange, Model model, Locale locale) {
        HttpStatus status = problem.status() == HttpStatus.NOT_FOUND ? HttpStatus.FORBIDDEN : problem.status();
        exchange.getResponse().setStatusCode(status);
        model.addAttribute("status", MESSAGES_FOR.contains(status.value()) ? status.value() : 500);
        model.addAttribute("lang", locale.getLanguage());
        model.addAttribute("path", path(exchange));
        return "console/problem";
    }
}
