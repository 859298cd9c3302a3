package vn.hotline.ivr.flow;

import java.util.Map;

/**
 * A validated, immutable flow graph.
 *
 * @param source the classpath resource it was loaded from, for error messages
 * @param start the first node
 * @param human the transfer node that reaches a person (key 0, repeated silence or invalid input)
 * @param smsTimeoutSeconds how long a text conversation waits for a reply
 */
public record Flow(String source, String id, int version, String start, String human, int smsTimeoutSeconds,
        Map<String, Node> nodes) {

    public Flow {
        nodes = Map.copyOf(nodes);
    }

    /** The node with this id; {@link IllegalStateException} when a stored session names a node this flow lacks. */
    public Node node(String nodeId) {
        Node node = nodes.get(nodeId);
        if (node == null) {
            throw new IllegalStateException(source + ": no node '" + nodeId + "'");
        }
        return node;
    }
}
