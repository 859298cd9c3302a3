package vn.hotline.gateway.channel.asterisk.internal;

import org.asteriskjava.manager.event.UserEvent;

/**
 * The dialplan's word that the officer of a call-back pressed 1 (or did not): {@code UserEvent(CallBackConfirm,
 * Callback: <id>,Result: CONFIRMED|DECLINED)} in {@code ops/asterisk/extensions.conf}. Asterisk-Java maps a user
 * event to the class named after it, so the name of this class is the name of the event.
 */
public class CallBackConfirmEvent extends UserEvent {

    private static final long serialVersionUID = 1L;

    private String callback;
    private String result;
    private String linkedid;

    public CallBackConfirmEvent(Object source) {
        super(source);
    }

    public String getCallback() {
        return callback;
    }

    public void setCallback(String callback) {
        this.callback = callback;
    }

    public String getResult() {
        return result;
    }

    public void setResult(String result) {
        this.result = result;
    }

    public String getLinkedid() {
        return linkedid;
    }

    public void setLinkedid(String linkedid) {
        this.linkedid = linkedid;
    }
}
