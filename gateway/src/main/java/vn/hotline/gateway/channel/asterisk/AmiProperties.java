package vn.hotline.gateway.channel.asterisk;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Asterisk manager interface (AMI): one connection per Asterisk server, held by one node at a time, for the call
 * log and call-backs.
 *
 * @param servers the Asterisk servers; none configured means no AMI connection at all
 * @param heartbeat how often the lease is renewed (and a connection attempted, due call-backs started)
 * @param leaseTtl how long a lease outlives its last renewal: a dead or hung holder is replaced after at most this
 *     plus one heartbeat
 * @param responseTimeout the longest wait for Asterisk's answer to one action (login included)
 * @param reconnectMin the first back-off after a lost or failed connection
 * @param reconnectMax the longest back-off
 * @param eventQueue events waiting for the database at most; when full, reading from Asterisk waits
 * @param eventWriteTimeout the longest one event's database work may take before it is logged as failed
 * @param completionGrace how long after the IVR ended a call may still wait for its AMI hang-up before it is marked
 *     incomplete
 * @param longestCall a call with no AMI hang-up after this long is marked incomplete
 * @param callback call-back limits and dialling
 */
@Validated
@ConfigurationProperties("hotline.asterisk.ami")
public record AmiProperties(
        @NotNull @DefaultValue List<@Valid Server> servers,
        @NotNull @DefaultValue("2s") Duration heartbeat,
        @NotNull @DefaultValue("6s") Duration leaseTtl,
        @NotNull @DefaultValue("5s") Duration responseTimeout,
        @NotNull @DefaultValue("1s") Duration reconnectMin,
        @NotNull @DefaultValue("30s") Duration reconnectMax,
        @Min(16) @DefaultValue("10000") int eventQueue,
        @NotNull @DefaultValue("5s") Duration eventWriteTimeout,
        @NotNull @DefaultValue("2m") Duration completionGrace,
        @NotNull @DefaultValue("4h") Duration longestCall,
        @NotNull @Valid @DefaultValue Callback callback) {

    /**
     * One Asterisk server.
     *
     * @param systemName its system name, as in the call keys {@code <system>/<agi_uniqueid>} of the FastAGI calls
     * @param host where its AMI listens
     * @param port its AMI port
     * @param username the least-privilege manager user ({@code ops/asterisk/manager.conf})
     * @param secret that user's secret, from the environment
     */
    public record Server(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9._-]{1,64}") String systemName,
            @NotBlank String host,
            @Min(1) @Max(65535) @DefaultValue("5038") int port,
            @NotBlank String username,
            @NotBlank String secret) {

        @Override
        public String toString() {
            return "Server[" + systemName + " " + host + ":" + port + " as " + username + "]";
        }
    }

    /**
     * Call-backs through Originate.
     *
     * @param maxAttempts call-backs per case at most
     * @param nightStart start of the night in the business zone: no call-back for a case that is not urgent, unless
     *     the officer decides
     * @param nightEnd end of the night
     * @param context the dialplan context the officer's leg runs ({@code ops/asterisk/extensions.conf})
     * @param officerRing how long the officer's phone rings
     * @param childRing how long the child's phone rings
     * @param callerId the caller id shown to the officer and the child
     */
    public record Callback(
            @Min(1) @Max(10) @DefaultValue("3") int maxAttempts,
            @NotNull @DefaultValue("21:00") LocalTime nightStart,
            @NotNull @DefaultValue("07:00") LocalTime nightEnd,
            @NotBlank @DefaultValue("hotline-callback") String context,
            @NotNull @DefaultValue("30s") Duration officerRing,
            @NotNull @DefaultValue("40s") Duration childRing,
            @NotBlank @DefaultValue("\"Hotline\" <111>") String callerId) {
    }
}
