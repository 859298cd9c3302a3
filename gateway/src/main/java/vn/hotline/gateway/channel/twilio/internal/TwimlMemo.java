package vn.hotline.gateway.channel.twilio.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * TwiML documents already rendered, by what they were rendered from. The SDK builds a DOM and runs an XML transformer
 * for every document, the largest share of a webhook's CPU after the database, while most documents (a flow's menus,
 * its texts) are the same for every caller. Only keys without a caller's own data belong here; the memo stops growing
 * at its bound, far above a flow's documents.
 */
final class TwimlMemo<K> {

    private final int bound;
    private final Map<K, String> documents = new ConcurrentHashMap<>();

    TwimlMemo(int bound) {
        this.bound = bound;
    }

    /** The document for {@code key}, rendered by {@code render} the first time. */
    String get(K key, Supplier<String> render) {
        String document = documents.get(key);
        if (document == null) {
            document = render.get();
            if (documents.size() < bound) {
                documents.put(key, document);
            }
        }
        return document;
    }
}
