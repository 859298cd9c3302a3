package vn.hotline.gateway.channel.asterisk;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The Asterisk channel: the FastAGI server and how transfers are dialled (111 is the switchboard's
 * {@code hotline.switchboard.voice.asterisk-dial}).
 *
 * @param enabled whether the FastAGI server runs
 * @param bindAddress the address the FastAGI server binds to
 * @param port the FastAGI port (Asterisk's default is 4573)
 * @param allowedClients addresses or CIDR blocks of the Asterisk servers; any other connection is closed at once
 * @param systemName the Asterisk system name used in call keys when the dialplan passes none ({@code ?system=} is empty
 *     when {@code systemname} is not set in {@code asterisk.conf}); when this is empty too, the system name of the one
 *     AMI server, so that the FastAGI and AMI keys of a call agree, else {@code asterisk}
 * @param poolCoreSize AGI threads kept warm
 * @param poolMaxSize AGI threads at most: one per call in the menu; a connection beyond this is closed, which the
 *     dialplan treats as a failure and sends to a person
 * @param threadStackSize the stack of each AGI thread: a caller in the menu holds one while waiting for a key, so
 *     thousands may exist at once, and a script's calls are shallow
 * @param acceptBacklog connections the kernel holds for the acceptor: a burst beyond it waits for SYN retries
 * @param socketReadTimeout the longest wait for one reply from Asterisk
 * @param stepBudget the longest a step's database or routing work may take before the script gives up
 * @param dialTemplate how an officer's E.164 number becomes a dial string; {@code {number}} is replaced
 * @param dutyDial the dial string of the provincial duty phone, when no duty supervisor is on the ladder
 * @param ringTimeout how long a rung rings when routing gives no window
 */
@Validated
@ConfigurationProperties("hotline.asterisk")
public record AsteriskProperties(
        @DefaultValue("true") boolean enabled,
        @NotBlank @DefaultValue("127.0.0.1") String bindAddress,
        @Min(0) @Max(65535) @DefaultValue("4573") int port,
        @NotEmpty @DefaultValue("127.0.0.1") List<@NotBlank String> allowedClients,
        @NotNull @Pattern(regexp = "([A-Za-z0-9._-]{1,64})?") @DefaultValue("") String systemName,
        @Min(1) @DefaultValue("16") int poolCoreSize,
        @Min(1) @Max(20000) @DefaultValue("2500") int poolMaxSize,
        @NotNull @DefaultValue("512KB") DataSize threadStackSize,
        @Min(50) @Max(65535) @DefaultValue("1024") int acceptBacklog,
        @NotNull @DefaultValue("60s") Duration socketReadTimeout,
        @NotNull @DefaultValue("800ms") Duration stepBudget,
        @NotBlank @Pattern(regexp = ".*\\{number}.*") @DefaultValue("PJSIP/{number}@hotline-trunk") String dialTemplate,
        @NotBlank @DefaultValue("PJSIP/duty@hotline-trunk") String dutyDial,
        @NotNull @DefaultValue("20s") Duration ringTimeout) {

    /** The system name of calls whose dialplan passes none, given the AMI servers (see {@code systemName}). */
    public AsteriskProperties withDefaultSystemName(AmiProperties ami) {
        String name = !systemName.isEmpty() ? systemName
                : ami.servers().size() == 1 ? ami.servers().get(0).systemName() : "asterisk";
        return new AsteriskProperties(enabled, bindAddress, port, allowedClients, name, poolCoreSize, poolMaxSize,
                threadStackSize, acceptBacklog, socketReadTimeout, stepBudget, dialTemplate, dutyDial, ringTimeout);
    }
}
