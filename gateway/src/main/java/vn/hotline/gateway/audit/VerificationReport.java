package vn.hotline.gateway.audit;

/**
 * The outcome of recomputing the chain.
 *
 * @param intact true when every seal, every anchor and the set of sealed events check out
 * @param checked seals recomputed (up to the first break)
 * @param total seals in the chain when verification started
 * @param headSeq the last verified seal's sequence number (0 for an empty chain)
 * @param headHash the last verified seal's hash, hex (empty for an empty chain)
 * @param anchorsChecked anchors whose signature verified and whose hash was compared
 * @param firstBreak the first broken entry, or null when intact
 */
public record VerificationReport(boolean intact, long checked, long total, long headSeq, String headHash,
                                 int anchorsChecked, ChainBreak firstBreak) {
}
