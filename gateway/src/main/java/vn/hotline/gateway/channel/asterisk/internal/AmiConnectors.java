package vn.hotline.gateway.channel.asterisk.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import vn.hotline.gateway.channel.asterisk.AmiProperties;
import vn.hotline.gateway.lease.Leases;

/** One {@link AmiConnector} per configured Asterisk server, started and stopped with the application. */
@Component
class AmiConnectors implements SmartLifecycle {

    private final List<AmiConnector> connectors;
    private volatile boolean running;

    AmiConnectors(AmiProperties properties, Leases leases, AmiEventStore store, AmiCallBacks callBacks, Clock clock,
                  MeterRegistry meters) {
        this.connectors = properties.servers().stream()
                .map(s -> new AmiConnector(s, properties, leases, store, callBacks, clock))
                .toList();
        for (AmiConnector connector : connectors) {
            // Only the node holding a server's lease connects: the operators' alert takes the maximum over nodes.
            Gauge.builder("hotline.ami.connected", connector, c -> c.connected() ? 1 : 0)
                    .tag("server", connector.systemName())
                    .description("1 while this node holds a logged-in AMI link to that Asterisk").register(meters);
        }
    }

    @Override
    public void start() {
        connectors.forEach(AmiConnector::start);
        running = true;
    }

    @Override
    public void stop() {
        connectors.forEach(AmiConnector::stop);
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
