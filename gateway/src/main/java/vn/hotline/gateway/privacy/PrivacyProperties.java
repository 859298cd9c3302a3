package vn.hotline.gateway.privacy;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Keys for personal data.
 *
 * @param keysFile the key file (see README: one line per key, each with a key id); back it up apart from the database
 * @param generateKeysIfMissing create a new key file on first run (demo and tests); production provisions its own
 * @param defaultRegion the region for numbers written without a country code
 */
@Validated
@ConfigurationProperties("hotline.privacy")
public record PrivacyProperties(
        @NotNull @DefaultValue("var/keys/hotline.keys") Path keysFile,
        @DefaultValue("false") boolean generateKeysIfMissing,
        @NotBlank @DefaultValue("VN") String defaultRegion) {
}
