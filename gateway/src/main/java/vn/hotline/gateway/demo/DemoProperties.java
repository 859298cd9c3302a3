package vn.hotline.gateway.demo;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The demo roster, loaded by the {@code demo} profile only.
 *
 * @param credentialsFile where the generated demo passwords are written (mode 0600), never to the log
 * @param rotaDays how many days of shifts to plan from today
 */
@Validated
@ConfigurationProperties("hotline.demo")
public record DemoProperties(
        @NotNull @DefaultValue("var/demo-users.txt") Path credentialsFile,
        @Min(1) @Max(366) @DefaultValue("30") int rotaDays) {
}
