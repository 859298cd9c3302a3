package vn.hotline.gateway.audit.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import org.springframework.stereotype.Component;
import vn.hotline.gateway.audit.Anchor;
import vn.hotline.gateway.audit.AuditProperties;
import vn.hotline.gateway.privacy.KeyFiles;

/**
 * Ed25519 keys for anchors, from their own key file: the active private key signs, every public key listed verifies
 * (old ones stay after a rotation). A verifier may hold only public keys. Kept apart from the personal-data keys
 * because whoever can sign anchors can vouch for a rewritten chain.
 */
@Component
class AnchorKeys {

    private static final String ALGORITHM = "Ed25519";

    private final String activeKeyId;
    private final PrivateKey signingKey;
    private final Map<String, PublicKey> publicKeys = new HashMap<>();

    AnchorKeys(AuditProperties properties) {
        AuditProperties.Anchoring anchoring = properties.anchoring();
        Path file = anchoring.keyFile();
        if (!Files.exists(file) && anchoring.generateKeyIfMissing()) {
            generate(file);
        }
        if (!Files.exists(file)) {
            if (anchoring.enabled()) {
                throw new IllegalStateException("Anchor key file " + file.toAbsolutePath() + " does not exist: provision "
                        + "it (README, Audit log) or set hotline.audit.anchoring.generate-key-if-missing=true for a demo.");
            }
            this.activeKeyId = null;
            this.signingKey = null;
            return;
        }
        Properties keys = load(file);
        try {
            KeyFactory factory = KeyFactory.getInstance(ALGORITHM);
            for (String name : keys.stringPropertyNames()) {
                if (name.startsWith("anchor.") && name.endsWith(".public")) {
                    String id = name.substring("anchor.".length(), name.length() - ".public".length());
                    publicKeys.put(id, factory.generatePublic(new X509EncodedKeySpec(decode(keys, name))));
                }
            }
            this.activeKeyId = keys.getProperty("anchor.active");
            String privateName = "anchor." + activeKeyId + ".private";
            this.signingKey = activeKeyId == null || keys.getProperty(privateName) == null ? null
                    : factory.generatePrivate(new PKCS8EncodedKeySpec(decode(keys, privateName)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("Anchor key file " + file + " holds a key that is not Ed25519", e);
        }
        if (anchoring.enabled() && signingKey == null) {
            throw new IllegalStateException("Anchor key file " + file + " has no private key for anchor.active");
        }
    }

    /** Signs a head with the active key. */
    Anchor sign(long seq, byte[] hash, Instant at) {
        if (signingKey == null) {
            throw new IllegalStateException("No anchor signing key: anchoring is disabled");
        }
        String hex = HexFormat.of().formatHex(hash);
        String signedAt = at.toString();
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(signingKey);
            signature.update(message(seq, hex, signedAt, activeKeyId));
            return new Anchor(seq, hex, signedAt, activeKeyId, Base64.getEncoder().encodeToString(signature.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** True when the anchor was signed by a key this node knows and has not been altered. */
    boolean verifies(Anchor anchor) {
        PublicKey key = publicKeys.get(anchor.keyId());
        if (key == null || anchor.signature() == null || anchor.hash() == null || anchor.signedAt() == null) {
            return false;
        }
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initVerify(key);
            signature.update(message(anchor.seq(), anchor.hash(), anchor.signedAt(), anchor.keyId()));
            return signature.verify(Base64.getDecoder().decode(anchor.signature()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] message(long seq, String hashHex, String signedAt, String keyId) {
        return ("hotline-audit-anchor/v1\n" + seq + "\n" + hashHex + "\n" + signedAt + "\n" + keyId)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] decode(Properties keys, String name) {
        return Base64.getDecoder().decode(keys.getProperty(name).trim());
    }

    private static Properties load(Path file) {
        return KeyFiles.read(file);
    }

    private static void generate(Path file) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            Properties props = new Properties();
            props.setProperty("anchor.active", "n1");
            props.setProperty("anchor.n1.private", Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
            props.setProperty("anchor.n1.public", Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
            KeyFiles.createOnce(file, props, "Hotline audit anchor keys (Ed25519): keep the private key off the database host.");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable", e);
        }
    }
}
