package vn.hotline.gateway.retention;

import java.time.Instant;
import java.util.List;

/**
 * What retention found, and did when applied.
 *
 * @param applied false for a dry run
 * @param ranAt when the cutoffs were computed
 * @param classes one line per data class
 */
public record RetentionReport(boolean applied, Instant ranAt, List<Line> classes) {

    /**
     * One data class.
     *
     * @param dataClass the class
     * @param cutoff data older than this is due; null for a class that is kept
     * @param due rows due now (for a dry run) or before this run (when applied)
     * @param held rows past the cutoff kept by a legal hold on their case
     * @param anonymised rows anonymised by this run (0 for a dry run)
     */
    public record Line(DataClass dataClass, Instant cutoff, long due, long held, long anonymised) {
    }
}
