package vn.hotline.gateway.channel.twilio.internal;

import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.messaging.Message;
import java.time.Duration;
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
import vn.hotline.gateway.channel.twilio.TwilioProperties;
import vn.hotline.gateway.sms.InboundSms;
import vn.hotline.gateway.sms.SmsConversations;
import vn.hotline.ivr.triage.Language;

/**
 * Twilio's adapter of the provider-neutral SMS conversation: the inbound webhook becomes an {@link InboundSms}, the
 * answer a {@code MessagingResponse}. Where Twilio has no two-way SMS (Vietnam), a carrier gateway's adapter takes its
 * place and this one serves other deployments.
 */
@RestController
@ConditionalOnProperty(prefix = "hotline.twilio", name = "enabled", havingValue = "true", matchIfMissing = true)
class SmsWebhook {

    private static final Logger log = LoggerFactory.getLogger(SmsWebhook.class);

    static final String UNAVAILABLE = "sms.caller.unavailable";

    private final SmsConversations conversations;
    /**
     * Replies are mostly the flow's texts, the same for every sender. A reply with a case reference (no personal data)
     * takes a place too, until the bound, which is well above the flow's texts in both languages.
     */
    private final TwimlMemo<List<String>> rendered = new TwimlMemo<>(500);

    private final Duration answerWithin;
    /** What a sender reads when their text could not be taken in time: both languages, the session's is unknown. */
    private final String unavailable;

    SmsWebhook(SmsConversations conversations, TwilioProperties properties, TwilioTexts texts) {
        this.conversations = conversations;
        this.answerWithin = properties.sms().answerWithin();
        this.unavailable = new MessagingResponse.Builder()
                .message(new Message.Builder(texts.text(UNAVAILABLE, Language.VI) + "\n" + texts.text(UNAVAILABLE, Language.EN))
                        .build())
                .build().toXml();
    }

    @PostMapping(TwilioRoutes.SMS)
    Mono<ResponseEntity<String>> receive(ServerWebExchange exchange) {
        String[] sid = {""};
        return exchange.getFormData()
                .doOnNext(form -> sid[0] = Optional.ofNullable(form.getFirst("MessageSid")).orElse(""))
                .flatMap(form -> conversations.receive(new InboundSms("twilio",
                        Optional.ofNullable(form.getFirst("MessageSid")).orElse(""),
                        Optional.ofNullable(form.getFirst("From")).orElse(""),
                        form.getFirst("To"), form.getFirst("Body"))))
                .map(texts -> VoiceWebhooks.xml(rendered.get(texts, () -> {
                    MessagingResponse.Builder response = new MessagingResponse.Builder();
                    texts.forEach(text -> response.message(new Message.Builder(text).build()));
                    return response.build().toXml();
                })))
                // Twilio gives up at 15 s and does not send the text again: within answer-within, the sender is told.
                .timeout(answerWithin)
                .onErrorResume(e -> {
                    // Never the form: it holds the sender's number and what they wrote. The SID finds the text in
                    // Twilio's message log, so staff can still read it and answer.
                    log.error("Twilio SMS {} not taken ({}): the sender was asked to call 111; find it in Twilio's message log",
                            sid[0].length() <= 64 ? sid[0] : "?", e.toString());
                    return Mono.just(VoiceWebhooks.xml(unavailable));
                });
    }
}
