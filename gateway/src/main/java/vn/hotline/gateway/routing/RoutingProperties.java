package vn.hotline.gateway.routing;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Routing settings.
 *
 * @param snapshotMaxAge how old the in-memory roster and unit snapshot may get before a decision reloads it
 * @param rosterHorizon how far ahead of now shifts are loaded into the snapshot
 */
@Validated
@ConfigurationProperties("hotline.routing")
public record RoutingProperties(
        @NotNull @DefaultValue("30s") Duration snapshotMaxAge,
        @NotNull @DefaultValue("35d") Duration rosterHorizon) {
}
