package vn.hotline.gateway.channel.asterisk;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.test.context.DynamicPropertyRegistry;
import vn.hotline.gateway.channel.asterisk.simulator.AgiSimulator;

/** The FastAGI port of a test context, and simulated calls against it from 127.0.0.2 (the allowed "Asterisk"). */
public final class AsteriskTestSupport {

    public static final String ASTERISK = "127.0.0.2";
    private static final AtomicLong UNIQUE = new AtomicLong(1795861382);

    private AsteriskTestSupport() {
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void properties(DynamicPropertyRegistry registry, int port) {
        registry.add("hotline.asterisk.enabled", () -> "true");
        registry.add("hotline.asterisk.port", () -> port);
        registry.add("hotline.asterisk.allowed-clients", () -> ASTERISK + ",::2");
        registry.add("hotline.asterisk.system-name", () -> "pbx-test");
    }

    public static String nextUniqueId() {
        return UNIQUE.incrementAndGet() + ".0";
    }

    public static AgiSimulator asterisk(int port) {
        return new AgiSimulator("127.0.0.1", port, Duration.ofSeconds(10), ASTERISK);
    }

    /** AgiServerThread starts asynchronously: wait until the port accepts. */
    public static void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
