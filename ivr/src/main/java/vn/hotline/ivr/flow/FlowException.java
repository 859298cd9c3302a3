package vn.hotline.ivr.flow;

/** A flow file that cannot be loaded; the message names the file and, where there is one, the node. */
public final class FlowException extends RuntimeException {

    public FlowException(String message) {
        super(message);
    }

    public FlowException(String message, Throwable cause) {
        super(message, cause);
    }
}
