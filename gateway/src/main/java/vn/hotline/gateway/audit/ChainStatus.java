package vn.hotline.gateway.audit;

/**
 * Where the sealer stands.
 *
 * @param headSeq the last seal's sequence number (0 for an empty chain)
 * @param headHash the last seal's hash, hex (empty for an empty chain)
 * @param unsealedEvents events not yet sealed
 * @param oldestUnsealedAgeMillis how long the oldest unsealed event has waited (0 when none): the sealing lag
 */
public record ChainStatus(long headSeq, String headHash, long unsealedEvents, long oldestUnsealedAgeMillis) {
}
