package vn.hotline.gateway.command;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import vn.hotline.gateway.HotlineApplication;

/**
 * Command mode of the server's jar: {@code java -jar hotline.jar --hotline.command=audit-verify}. The application
 * starts without the web server and without background work (no sealing), runs the one command and exits with its
 * code: 0 success, 1 the command found a problem (a broken chain), 2 the command could not run.
 */
public final class Commands {

    /** The property that selects a command. */
    public static final String PROPERTY = "hotline.command";
    /** Exit code when the command could not run at all. */
    public static final int CANNOT_RUN = 2;

    private Commands() {
    }

    /** The command named in the arguments, if any. */
    public static Optional<String> requested(String... args) {
        String prefix = "--" + PROPERTY + "=";
        return Arrays.stream(args).filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length())).findFirst();
    }

    /** Runs the command named in {@code args}, printing to {@code out}; returns the exit code. */
    public static int run(PrintStream out, String... args) {
        String name = requested(args).orElseThrow(() -> new IllegalArgumentException("no --" + PROPERTY + "=<name>"));
        List<String> all = new ArrayList<>(Arrays.asList(args));
        // Command-line arguments outrank application.yml: a command never seals, and keeps the console for its report.
        all.add("--hotline.audit.sealer.enabled=false");
        all.add("--logging.level.root=WARN");
        all.add("--logging.level.vn.hotline=WARN");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(HotlineApplication.class)
                .web(WebApplicationType.NONE)
                .run(all.toArray(String[]::new))) {
            List<HotlineCommand> commands = List.copyOf(context.getBeansOfType(HotlineCommand.class).values());
            Optional<HotlineCommand> command = commands.stream().filter(c -> c.name().equals(name)).findFirst();
            if (command.isEmpty()) {
                out.println("unknown command " + name + "; known: " + commands.stream().map(HotlineCommand::name).sorted().toList());
                return CANNOT_RUN;
            }
            return command.get().run(out);
        }
    }
}
