package vn.hotline.gateway.ivr;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.hotline.ivr.engine.IvrEngine;
import vn.hotline.ivr.prompt.PromptCatalogs;
import vn.hotline.ivr.prompt.PromptRenderer;

/**
 * The one IVR engine and prompt renderer every channel and the console's training call share: the flows, keyword
 * table and prompt catalogs are read and validated once at start-up. Both are immutable and safe to share.
 */
@Configuration(proxyBeanMethods = false)
public class IvrConfig {

    @Bean
    IvrEngine ivrEngine(Clock clock) {
        return IvrEngine.withDefaults(clock);
    }

    @Bean
    PromptRenderer promptRenderer() {
        return new PromptRenderer(PromptCatalogs.load(PromptCatalogs.DEFAULT_FOLDER));
    }
}
