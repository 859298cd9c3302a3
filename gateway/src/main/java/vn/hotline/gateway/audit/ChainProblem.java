package vn.hotline.gateway.audit;

/** What verification found wrong at the first broken entry. */
public enum ChainProblem {
    /** A sequence number is missing (a seal was deleted or renumbered). */
    SEQUENCE_GAP,
    /** The sealed event no longer exists. */
    EVENT_MISSING,
    /** A seal's previous hash is not the hash of the seal before it. */
    PREV_HASH_MISMATCH,
    /** Recomputing the hash over the seal and its event gives another value: the event or the seal changed. */
    HASH_MISMATCH,
    /** The chain's hash at an anchored sequence number differs from the signed anchor: the chain was rewritten. */
    ANCHOR_MISMATCH,
    /** An anchor's signature does not verify, or names an unknown key. */
    ANCHOR_SIGNATURE_INVALID,
    /** An anchor names a sequence number the chain no longer reaches: the chain was cut back. */
    ANCHOR_BEYOND_HEAD,
    /** An event that sorts before the head has no seal: inserted behind the sealer's back, or its seal removed. */
    EVENT_NOT_SEALED
}
