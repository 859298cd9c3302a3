package vn.hotline.gateway.time;

import java.time.Clock;
import java.time.ZoneId;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one clock and business zone every area takes; nothing calls {@code now()} on its own (DESIGN 1c). */
@Configuration(proxyBeanMethods = false)
public class TimeConfig {

    /** UTC system clock; tests replace it with a fixed or stepping one. */
    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return Clock.systemUTC();
    }

    /** The business zone, {@code Asia/Ho_Chi_Minh} unless configured. */
    @Bean
    public ZoneId businessZone(TimeProperties properties) {
        return properties.zone();
    }
}
