package vn.hotline.gateway.sms;

import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The default triage flow as a text conversation, keyed by the sender (by keyed hash, never in clear), for any
 * provider: the adapter turns its webhook into an {@link InboundSms} and the answer into its own reply format.
 * Handles {@code STOP}/{@code START}/{@code HELP} as carriers expect and {@code OK <reference>} from an officer.
 */
public interface SmsConversations {

    /** The texts to answer, in order (empty: answer nothing). A redelivered message gets the same answer. */
    Mono<List<String>> receive(InboundSms message);
}
