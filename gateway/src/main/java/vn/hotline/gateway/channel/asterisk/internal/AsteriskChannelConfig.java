package vn.hotline.gateway.channel.asterisk.internal;

import java.time.Clock;
import java.util.Map;
import org.asteriskjava.fastagi.AgiScript;
import org.asteriskjava.fastagi.SimpleMappingStrategy;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.channel.asterisk.AmiProperties;
import vn.hotline.gateway.channel.asterisk.AsteriskProperties;
import vn.hotline.gateway.privacy.PersonalData;
import vn.hotline.gateway.routing.RoutingService;
import vn.hotline.gateway.sms.CallerTexts;
import vn.hotline.ivr.engine.IvrEngine;
import vn.hotline.ivr.prompt.PromptRenderer;

/** Wires the FastAGI server and its scripts: {@code ivr} (the menu) and the ladder's {@code accept}, {@code dial-result}, {@code hangup}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "hotline.asterisk", name = "enabled", havingValue = "true", matchIfMissing = true)
class AsteriskChannelConfig {

    /** The script names in {@code agi://host/<name>}. */
    static final String IVR = "ivr";
    static final String DIAL_RESULT = "dial-result";
    static final String ACCEPT = "accept";
    static final String HANGUP = "hangup";

    @Bean
    FastAgiServer fastAgiServer(AsteriskProperties configured, AmiProperties ami, CallStore store, CaseService cases,
            RoutingService routing, PersonalData personalData, LadderPlanner ladder, LadderReports reports,
            CallerTexts callerTexts, IvrEngine engine, PromptRenderer prompts, Clock clock, FallbackMeter fallbacks) {
        AsteriskProperties properties = configured.withDefaultSystemName(ami);
        IvrScript ivr = new IvrScript(engine, prompts, store, cases, routing, personalData, ladder,
                properties, callerTexts, clock, fallbacks);
        SimpleMappingStrategy scripts = new SimpleMappingStrategy();
        scripts.setMappings(Map.<String, AgiScript>of(IVR, ivr,
                ACCEPT, LadderScripts.accept(reports, properties),
                DIAL_RESULT, LadderScripts.dialResult(reports, properties),
                HANGUP, LadderScripts.hangup(reports, properties)));
        return new FastAgiServer(properties, scripts, () -> routing.snapshot().then(), fallbacks);
    }
}
