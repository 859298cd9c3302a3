package vn.hotline.gateway.db.internal;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import vn.hotline.db.EmbeddedPostgresException;

/** Shows database start-up failures as one line saying what to fix, instead of a stack trace. */
class DatabaseFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof EmbeddedPostgresException || t instanceof DatabaseConfigurationException) {
                return new FailureAnalysis(t.getMessage(),
                        "Fix the database setting named above (see README, Configuration) and start again.", t);
            }
        }
        return null;
    }
}
