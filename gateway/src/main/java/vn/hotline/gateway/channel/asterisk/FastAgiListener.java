package vn.hotline.gateway.channel.asterisk;

/** The FastAGI server's listening address, for the start-up report. */
public interface FastAgiListener {

    /** The address it binds to. */
    String bindAddress();

    /** The port Asterisk connects to. */
    int port();
}
