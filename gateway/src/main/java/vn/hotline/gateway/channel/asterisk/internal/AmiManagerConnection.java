package vn.hotline.gateway.channel.asterisk.internal;

import org.asteriskjava.AsteriskVersion;
import org.asteriskjava.manager.internal.ManagerConnectionImpl;

/**
 * Asterisk-Java's manager connection for a least-privilege user. After login Asterisk-Java asks for the version with
 * {@code CoreSettings} (needs {@code system} or {@code reporting}) and then {@code Command core show version} (needs
 * {@code command}), four times with pauses: our user has neither right, so each login would stall for seconds and
 * then guess an old version. The version is the one the call log was recorded against instead.
 */
class AmiManagerConnection extends ManagerConnectionImpl {

    @Override
    protected AsteriskVersion determineVersion() {
        return AsteriskVersion.ASTERISK_22;
    }
}
