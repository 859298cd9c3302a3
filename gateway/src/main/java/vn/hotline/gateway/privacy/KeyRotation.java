package vn.hotline.gateway.privacy;

import reactor.core.publisher.Mono;
import vn.hotline.gateway.audit.Actor;

/**
 * Moves stored ciphertext to the active encryption key. Rotation: add a key to the key file and make it active (new
 * data uses it from the next start), run this, and once it reports no rows left under an old key, remove that key.
 */
public interface KeyRotation {

    /** Re-encrypts, in batches of short transactions, every ciphertext not under the active key; records KEY_ROTATED. */
    Mono<RekeyReport> reencryptAll(Actor requestedBy);
}
