package vn.hotline.gateway.console;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The staff console.
 *
 * @param livePoll how often an open live page also looks in the database for changes made on other gateway nodes
 *                 (this node's own changes arrive at once)
 * @param heartbeat how often a live page's event stream sends a comment, so proxies keep an idle stream open
 * @param queueLimit the most cases a queue or board shows
 * @param languageCookieAge how long the browser remembers the language chosen with {@code ?lang=}
 * @param atRisk a statutory deadline due within this (or already passed) counts as at risk on the live board
 * @param liveCallAge a call still in the IVR after this is counted as lost, not live (its end was never recorded)
 */
@Validated
@ConfigurationProperties("hotline.console")
public record ConsoleProperties(
        @NotNull @DefaultValue("5s") Duration livePoll,
        @NotNull @DefaultValue("20s") Duration heartbeat,
        @Min(1) @Max(500) @DefaultValue("200") int queueLimit,
        @NotNull @DefaultValue("365d") Duration languageCookieAge,
        @NotNull @DefaultValue("2h") Duration atRisk,
        @NotNull @DefaultValue("1h") Duration liveCallAge) {
}
