package vn.hotline.gateway.channel.asterisk.internal;

import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiHangupException;
import org.asteriskjava.fastagi.AgiNetworkException;
import org.asteriskjava.fastagi.reply.AgiReply;

/**
 * The AGI commands the IVR uses, with Asterisk's ways of saying the caller is gone turned into {@link CallerGone}:
 * {@code result=-1} on a media command, a {@code 511} reply, the {@code HANGUP} line or a closed socket.
 */
final class AgiVoice {

    /** Keys that interrupt a prompt. */
    static final String ALL_KEYS = "0123456789*#";

    /** The caller hung up, or Asterisk closed the connection. */
    static final class CallerGone extends Exception {
        CallerGone() {
            super(null, null, false, false);
        }
    }

    /** Asterisk answered something the protocol does not allow here. */
    static final class ProtocolError extends RuntimeException {
        ProtocolError(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private final AgiChannel channel;

    AgiVoice(AgiChannel channel) {
        this.channel = channel;
    }

    void answer() throws CallerGone {
        if (send(AgiLine.ANSWER).getResultCode() == -1) {
            throw new CallerGone();
        }
    }

    /** Plays a file; returns the key that interrupted it, or 0. */
    char stream(String file, String escapeDigits) throws CallerGone {
        int result = send(AgiLine.streamFile(file, escapeDigits)).getResultCode();
        if (result < 0) {
            throw new CallerGone();
        }
        return (char) result;
    }

    /** Plays a file and reads up to {@code maxDigits} keys; empty when the caller pressed nothing. */
    String getData(String file, long timeoutMillis, int maxDigits) throws CallerGone {
        AgiReply reply = send(AgiLine.getData(file, timeoutMillis, maxDigits));
        String result = reply.getResult();
        if ("-1".equals(result)) {
            throw new CallerGone();
        }
        return result == null ? "" : result;
    }

    /** Waits for one key; 0 when none came in time. */
    char waitForDigit(long timeoutMillis) throws CallerGone {
        int result = send(AgiLine.waitForDigit(timeoutMillis)).getResultCode();
        if (result < 0) {
            throw new CallerGone();
        }
        return (char) result;
    }

    /** Sets a channel variable; Asterisk allows this on a dead channel too. */
    void setVariable(String name, String value) throws CallerGone {
        send(AgiLine.setVariable(name, value));
    }

    void hangup() throws CallerGone {
        send(AgiLine.HANGUP);
    }

    private AgiReply send(AgiLine command) throws CallerGone {
        try {
            return channel.sendCommand(command);
        } catch (AgiHangupException | AgiNetworkException e) {
            throw new CallerGone();
        } catch (AgiException e) {
            throw new ProtocolError("Asterisk refused " + command.verb(), e);
        }
    }
}
