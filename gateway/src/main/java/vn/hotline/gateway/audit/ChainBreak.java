package vn.hotline.gateway.audit;

/**
 * The first broken entry.
 *
 * @param seq the seal's sequence number, or null when the problem is not at a seal (an unsealed event)
 * @param eventId the event concerned, or null when unknown
 * @param problem what broke
 */
public record ChainBreak(Long seq, Long eventId, ChainProblem problem) {
}
