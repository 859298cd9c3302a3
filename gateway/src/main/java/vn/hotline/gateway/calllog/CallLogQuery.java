package vn.hotline.gateway.calllog;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A filter over the call log; every part is optional but the time range.
 *
 * @param from calls started at or after this instant
 * @param to calls started before this instant
 * @param channel ASTERISK_VOICE, TWILIO_VOICE, SMS, ...
 * @param outcome how the contact ended
 * @param serviceArea the service area of the call's case
 * @param unit the admin unit code of the call's case
 * @param category the category of the call's case
 * @param officer an officer who held the case or accepted the call
 * @param limit at most this many rows
 */
public record CallLogQuery(Instant from, Instant to, Optional<String> channel, Optional<String> outcome,
                           Optional<String> serviceArea, Optional<String> unit, Optional<String> category,
                           Optional<UUID> officer, int limit) {
}
