package vn.hotline.gateway.privacy;

/**
 * Which field a ciphertext belongs to. It is bound into the AES-GCM associated data, so a ciphertext copied into
 * another field does not decrypt.
 */
public enum DataField {
    CALLER_NUMBER,
    OFFICER_PHONE,
    CASE_NOTE,
    TRIAGE_TEXT,
    /** What staff typed when closing, referring or reassigning a case. */
    REASON
}
