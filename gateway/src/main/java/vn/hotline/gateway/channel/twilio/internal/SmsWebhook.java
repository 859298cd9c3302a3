package vn.hotline.gateway.channel.twilio.internal;

import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.messaging.Message;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.sms.InboundSms;
import vn.hotline.gateway.sms.SmsConversations;

/**
 * Twilio's adapter of the provider-neutral SMS conversation: the inbound webhook becomes an {@link InboundSms}, the
 * answer a {@code MessagingResponse}. Where Twilio has no two-way SMS (Vietnam), a carrier gateway's adapter takes its
 * place and this one serves other deployments.
 */
@RestController
@ConditionalOnProperty(prefix = "hotline.twilio", name = "enabled", havingValue = "true", matchIfMissing = true)
class SmsWebhook {

    private static final Logger log = LoggerFactory.getLogger(SmsWebhook.class);

    private final SmsConversations conversations;
    /**
     * Replies are mostly the flow's texts, the same for every sender. A reply with a case reference (no personal data)
     * takes a place too, until the bound, which is well above the flow's texts in both languages.
     */
    private final TwimlMemo<List<String>> rendered = new TwimlMemo<>(500);

    SmsWebhook(SmsConversations conversations) {
        this.conversations = conversations;
    }

    @PostMapping(TwilioRoutes.SMS)
    Mono<ResponseEntity<String>> receive(ServerWebExchange exchange) {
        return exchange.getFormData()
                .flatMap(form -> conversations.receive(new InboundSms("twilio",
                        Optional.ofNullable(form.getFirst("MessageSid")).orElse(""),
                        Optional.ofNullable(form.getFirst("From")).orElse(""),
                        form.getFirst("To"), form.getFirst("Body"))))
                .map(texts -> VoiceWebhooks.xml(rendered.get(texts, () -> {
                    MessagingResponse.Builder response = new MessagingResponse.Builder();
                    texts.forEach(text -> response.message(new Message.Builder(text).build()));
                    return response.build().toXml();
                })))
                .onErrorResume(e -> {
                    // Never the form: it holds the sender's number and what they wrote. Twilio retries on a 5xx.
                    log.warn("Twilio SMS could not be handled: {}", e.toString());
                    return Mono.just(ResponseEntity.internalServerError().build());
                });
    }
}
