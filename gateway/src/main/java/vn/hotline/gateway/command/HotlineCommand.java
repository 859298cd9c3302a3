package vn.hotline.gateway.command;

import java.io.PrintStream;

/** A one-shot job run by {@code --hotline.command=<name>} instead of the server; each area contributes its own. */
public interface HotlineCommand {

    /** The name given on the command line. */
    String name();

    /** Runs the job, reporting on {@code out} (codes and numbers only, never personal data); returns the exit code. */
    int run(PrintStream out);
}
