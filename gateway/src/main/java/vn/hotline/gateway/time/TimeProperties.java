package vn.hotline.gateway.time;

import jakarta.validation.constraints.NotNull;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Business time.
 *
 * @param zone the zone of rotas, nights, working days and the year in case references
 */
@Validated
@ConfigurationProperties("hotline.time")
public record TimeProperties(@NotNull @DefaultValue("Asia/Ho_Chi_Minh") ZoneId zone) {
}
