package vn.hotline.gateway.audit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Progress of a verification; the last one carries the report.
 *
 * @param checked seals recomputed so far
 * @param total seals to recompute
 * @param report the outcome, only on the last element
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerificationProgress(long checked, long total, VerificationReport report) {
}
