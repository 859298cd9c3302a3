package vn.hotline.gateway.lease;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Lease settings.
 *
 * @param nodeId this node's holder id; empty makes one from the host name, the process id and a random suffix
 */
@ConfigurationProperties("hotline.lease")
public record LeaseProperties(String nodeId) {
}
