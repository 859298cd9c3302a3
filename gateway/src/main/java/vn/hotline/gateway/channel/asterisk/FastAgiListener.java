package vn.hotline.gateway.channel.asterisk;

/** The FastAGI server's listening address, for the start-up report, and its load. */
public interface FastAgiListener {

    /** The address it binds to. */
    String bindAddress();

    /** The port Asterisk connects to. */
    int port();

    /** Calls holding an AGI thread now (one per caller in the menu). */
    int activeCalls();
}
