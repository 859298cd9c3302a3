package vn.hotline.gateway.channel.asterisk.pbx;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real Asterisk 22 for a test class, run from the installation of {@code ops/ci/install-asterisk.sh} with a
 * configuration of its own in a temporary folder: the project's {@code ops/asterisk/extensions.conf} and
 * {@code manager.conf} as shipped, only what a deployer changes replaced (the globals, the AMI port and secret), and a
 * test "trunk" in {@code pjsip.conf} where every called number is a PJSIP endpoint whose contact is a SIPp user agent
 * on its own port. Prompts are silences of a chosen length, named as {@code ops/asterisk/generate-prompts.sh} names
 * the real ones. Everything listens on 127.0.0.1 only.
 */
public final class RealPbx implements AutoCloseable {

    /** Where {@code ops/ci/install-asterisk.sh} puts Asterisk unless told otherwise. */
    static final String DEFAULT_INSTALL = "/opt/hotline-test/asterisk";
    static final String SIPP = "/usr/bin/sipp";
    static final String AMI_USER = "hotline";

    private final Path install;
    private final Path root;
    private final int sipPort;
    private final int amiPort;
    private final String amiSecret = "real-pbx-test-secret";
    private final Map<String, Integer> phones = new LinkedHashMap<>();
    private final String systemName;
    private Process asterisk;
    private String extraContexts = "";

    /** The From user of callers that enter the extra context {@code floor}. */
    public static final String FLOOR = "floor";

    private RealPbx(Path install, Path root, String systemName) {
        this.install = install;
        this.root = root;
        this.systemName = systemName;
        this.sipPort = freeUdpPort();
        this.amiPort = freeTcpPort();
    }

    /**
     * The installation to use: {@code -Dhotline.test.asterisk}, {@code HOTLINE_TEST_ASTERISK} or the default path. Under
     * CI it must be there (the test fails); elsewhere a test without it is skipped with the command that installs it.
     */
    static Path installation() {
        String configured = Optional.ofNullable(System.getProperty("hotline.test.asterisk"))
                .or(() -> Optional.ofNullable(System.getenv("HOTLINE_TEST_ASTERISK"))).orElse(DEFAULT_INSTALL);
        Path install = Path.of(configured);
        boolean present = Files.isExecutable(install.resolve("sbin/asterisk")) && Files.isExecutable(Path.of(SIPP));
        if (!present) {
            String missing = "no Asterisk in " + install + " or no " + SIPP + ": run ops/ci/install-asterisk.sh (as root)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(missing);
            }
            Assumptions.abort(missing);
        }
        return install;
    }

    /**
     * Starts a PBX whose dialplan reaches the hotline's FastAGI on {@code agiPort}; {@code phones} are the numbers it
     * may dial (officers' E.164 numbers, {@code duty}, {@code 111}), each answered by a SIPp agent on its own port.
     */
    public static RealPbx start(int agiPort, String systemName, List<String> phones) throws Exception {
        return start(agiPort, systemName, phones, "");
    }

    /**
     * As {@link #start(int, String, List)}, with {@code extraContexts} appended to the dialplan (a benchmark's floor);
     * a caller whose From user is {@link #FLOOR} enters context {@code floor} instead of {@code hotline-in}.
     */
    public static RealPbx start(int agiPort, String systemName, List<String> phones, String extraContexts)
            throws Exception {
        Path install = installation();
        Path root = Files.createTempDirectory("hotline-pbx-");
        RealPbx pbx = new RealPbx(install, root, systemName);
        pbx.extraContexts = extraContexts;
        for (String phone : phones) {
            pbx.phones.put(phone, freeUdpPort());
        }
        pbx.configure(agiPort);
        try {
            pbx.launch();
        } catch (Exception | Error e) {
            if (pbx.asterisk != null) {
                pbx.asterisk.destroyForcibly();
            }
            throw e;
        }
        return pbx;
    }

    /**
     * The hotline's settings for this PBX, as a deployer writes them: FastAGI on {@code agiPort} for 127.0.0.1, the test
     * trunk's dial strings, and the AMI login of {@code manager.conf}. The supplier is read when the context starts,
     * after the PBX did.
     */
    public static void hotline(DynamicPropertyRegistry registry, int agiPort, Supplier<RealPbx> pbx) {
        registry.add("hotline.asterisk.enabled", () -> "true");
        registry.add("hotline.asterisk.port", () -> agiPort);
        registry.add("hotline.asterisk.allowed-clients", () -> "127.0.0.1");
        registry.add("hotline.asterisk.dial-template", () -> "PJSIP/{number}");
        registry.add("hotline.asterisk.duty-dial", () -> "PJSIP/duty");
        registry.add("hotline.switchboard.voice.asterisk-dial", () -> "PJSIP/111");
        registry.add("hotline.asterisk.ami.servers[0].system-name", () -> pbx.get().systemName());
        registry.add("hotline.asterisk.ami.servers[0].host", () -> "127.0.0.1");
        registry.add("hotline.asterisk.ami.servers[0].port", () -> pbx.get().amiPort());
        registry.add("hotline.asterisk.ami.servers[0].username", () -> AMI_USER);
        registry.add("hotline.asterisk.ami.servers[0].secret", () -> pbx.get().amiSecret());
    }

    public int sipPort() {
        return sipPort;
    }

    public int amiPort() {
        return amiPort;
    }

    public String amiSecret() {
        return amiSecret;
    }

    public String systemName() {
        return systemName;
    }

    /** The port of the SIPp agent that answers {@code phone}. */
    public int phonePort(String phone) {
        Integer port = phones.get(phone);
        if (port == null) {
            throw new IllegalArgumentException("not a phone of this PBX: " + phone);
        }
        return port;
    }

    /** A folder for SIPp scenarios and traces of this PBX. */
    public Path work() throws IOException {
        return Files.createDirectories(root.resolve("sipp"));
    }

    /** Asterisk's full log (verbose 4 and DTMF), the evidence when a call does something unexpected. */
    public String log() throws IOException {
        Path log = root.resolve("var/log/messages.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** Runs one CLI command ({@code asterisk -rx}) and returns what it printed. */
    public String cli(String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command(List.of("-rx", command))).redirectErrorStream(true);
        builder.environment().put("LD_LIBRARY_PATH", install.resolve("lib").toString());
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("asterisk -rx '" + command + "' did not return");
        }
        return out;
    }

    private List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(install.resolve("sbin/asterisk").toString(), "-C",
                root.resolve("etc/asterisk.conf").toString()));
        cmd.addAll(args);
        return cmd;
    }

    private void launch() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command(List.of("-f", "-n", "-q")))
                .redirectErrorStream(true).redirectOutput(root.resolve("asterisk.out").toFile());
        builder.environment().put("LD_LIBRARY_PATH", install.resolve("lib").toString());
        asterisk = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            if (!asterisk.isAlive()) {
                throw new IllegalStateException("Asterisk exited: " + Files.readString(root.resolve("asterisk.out")));
            }
            if (Files.exists(root.resolve("var/run/asterisk.ctl")) && cli("core waitfullybooted").contains("fully booted")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Asterisk did not boot in 30 s");
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws Exception {
        if (asterisk != null && asterisk.isAlive()) {
            cli("core stop now");
            if (!asterisk.waitFor(10, TimeUnit.SECONDS)) {
                asterisk.destroyForcibly().waitFor();
            }
        }
    }

    private void configure(int agiPort) throws IOException {
        Path etc = Files.createDirectories(root.resolve("etc"));
        for (String dir : List.of("var/log", "var/run", "var/spool", "var/cache", "var/lib/sounds/hotline/vi",
                "var/lib/sounds/hotline/en", "var/lib/agi-bin")) {
            Files.createDirectories(root.resolve(dir));
        }
        // Asterisk reads its XML documentation at start-up (without it Stasis refuses to start): the installation's.
        Files.createSymbolicLink(root.resolve("var/lib/documentation"), install.resolve("var/lib/asterisk/documentation"));
        String var = root.resolve("var").toString();
        write(etc.resolve("asterisk.conf"), """
                [directories]
                astcachedir => %1$s/cache
                astetcdir => %2$s
                astmoddir => %3$s/lib/asterisk/modules
                astvarlibdir => %1$s/lib
                astdbdir => %1$s/lib
                astkeydir => %1$s/lib
                astdatadir => %1$s/lib
                astagidir => %1$s/lib/agi-bin
                astspooldir => %1$s/spool
                astrundir => %1$s/run
                astlogdir => %1$s/log
                astsbindir => %3$s/sbin

                [options]
                verbose = 3
                defaultlanguage = en
                documentation_language = en_US
                %4$s
                """.formatted(var, etc, install, systemName.isEmpty() ? "" : "systemname = " + systemName));
        write(etc.resolve("modules.conf"), """
                [modules]
                autoload = yes
                ; modules that would bind well-known ports of other services on the machine
                noload = chan_iax2.so
                noload = pbx_dundi.so
                noload = chan_unistim.so
                noload = res_hep.so
                noload = res_hep_pjsip.so
                noload = res_hep_rtcp.so
                noload = res_pjsip_transport_websocket.so
                noload = chan_websocket.so
                noload = res_http_websocket.so
                noload = chan_skinny.so
                noload = chan_mgcp.so
                noload = cdr_custom.so
                noload = cdr_csv.so
                """);
        write(etc.resolve("logger.conf"), """
                [general]
                dateformat = %F %T.%3q
                [logfiles]
                messages.log => notice,warning,error,verbose(4),dtmf
                """);
        // Asterisk's RTP between 21000 and 28999, SIPp's media from 30000 (Sipp.mediaPort), SIP above 32000.
        int rtp = 21000 + (int) (Math.abs(System.nanoTime()) % 80) * 100;
        write(etc.resolve("rtp.conf"), "[general]\nrtpstart = " + rtp + "\nrtpend = " + (rtp + 99) + "\n");
        write(etc.resolve("cdr.conf"), "[general]\nenable = yes\nunanswered = yes\n");
        write(etc.resolve("cdr_manager.conf"), "[general]\nenabled = yes\n");
        write(etc.resolve("pjsip.conf"), pjsip());
        write(etc.resolve("extensions.conf"), withGlobals(shipped("extensions.conf"), Map.of(
                "HOTLINE_AGI", "agi://127.0.0.1:" + agiPort,
                "HOTLINE_DUTY", "PJSIP/duty",
                "HOTLINE_111", "PJSIP/111",
                "HOTLINE_FALLBACK_RING", "8")) + extraContexts);
        write(etc.resolve("manager.conf"), shipped("manager.conf")
                .replaceFirst("(?m)^port = \\d+", "port = " + amiPort)
                .replaceFirst("(?m)^secret = .*", "secret = " + amiSecret));
        prompts(root.resolve("var/lib/sounds/hotline"));
    }

    /**
     * The test trunk: callers from 127.0.0.1 come in to hotline-in (by address; a From user that names an endpoint,
     * {@code floor}, picks that one); each dialled number is a SIPp agent.
     */
    private String pjsip() {
        StringBuilder conf = new StringBuilder("""
                [global]
                type = global
                endpoint_identifier_order = username,ip,anonymous

                [transport-udp]
                type = transport
                protocol = udp
                bind = 127.0.0.1:%d

                [caller]
                type = endpoint
                transport = transport-udp
                context = hotline-in
                disallow = all
                allow = ulaw,alaw
                dtmf_mode = rfc4733
                direct_media = no
                rtp_symmetric = yes
                force_rport = yes
                rewrite_contact = yes
                trust_id_inbound = yes

                [caller-identify]
                type = identify
                endpoint = caller
                match = 127.0.0.1

                [floor](caller)
                context = floor

                [phone](!)
                type = endpoint
                transport = transport-udp
                context = hotline-phones
                disallow = all
                allow = ulaw,alaw
                dtmf_mode = rfc4733
                direct_media = no
                rtp_symmetric = yes
                force_rport = yes
                """.formatted(sipPort));
        phones.forEach((phone, port) -> conf.append("""

                [%1$s](phone)
                aors = %1$s
                [%1$s]
                type = aor
                contact = sip:%1$s@127.0.0.1:%2$d
                """.formatted(phone, port)));
        return conf.toString();
    }

    static String shipped(String file) throws IOException {
        Path dir = Path.of("..", "ops", "asterisk");
        if (!Files.isDirectory(dir)) {
            dir = Path.of("ops", "asterisk");
        }
        return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
    }

    /** The shipped dialplan with the [globals] a deployer sets replaced, and nothing else changed. */
    static String withGlobals(String dialplan, Map<String, String> globals) {
        String out = dialplan;
        for (Map.Entry<String, String> g : globals.entrySet()) {
            Matcher m = Pattern.compile("(?m)^" + g.getKey() + "=\\S*").matcher(out);
            if (!m.find()) {
                throw new IllegalStateException("the shipped dialplan has no global " + g.getKey());
            }
            out = m.replaceFirst(Matcher.quoteReplacement(g.getKey() + "=" + g.getValue()));
        }
        return out;
    }

    /** Seconds of silence for prompts whose length a test depends on; everything else is 0.3 s. */
    private static final Map<String, Double> PROMPT_SECONDS = Map.of(
            "officer.accept", 6.6,
            "ladder.exhausted", 2.0);

    /** A silent 8 kHz WAV per catalog entry, named as generate-prompts.sh names the recorded ones. */
    private static void prompts(Path sounds) throws IOException {
        for (String lang : List.of("vi", "en")) {
            Properties catalog = new Properties();
            try (InputStream in = RealPbx.class.getResourceAsStream("/prompts/" + lang + ".properties")) {
                catalog.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
            for (String key : catalog.stringPropertyNames()) {
                double seconds = PROMPT_SECONDS.getOrDefault(key, 0.3);
                Files.write(sounds.resolve(lang).resolve(key.replace('.', '-').replace('_', '-') + ".wav"), silence(seconds));
            }
        }
    }

    private static byte[] silence(double seconds) {
        int samples = (int) (8000 * seconds);
        ByteBuffer wav = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + samples * 2).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        wav.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16);
        wav.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(samples * 2);
        return wav.array();
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    static int freeUdpPort() {
        while (true) {
            try (DatagramSocket s = new DatagramSocket(0)) {
                int port = s.getLocalPort();
                // SIPp's media ports and Asterisk's RTP range stay below 30000 and above 20000; keep SIP ports clear.
                if (port > 32000 && port < 60000) {
                    return port;
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static int freeTcpPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
