package vn.hotline.gateway.channel.asterisk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Channel names reach the call log without the phone numbers some of them carry. */
class AmiEventMapperTest {

    @Test
    void aNumberInAChannelNameIsMaskedButAsterisksOwnSuffixIsKept() {
        assertThat(AmiEventMapper.mask("Local/0912345678@hotline-out-0000001a;1")).isEqualTo("Local/…@hotline-out-0000001a;1");
        assertThat(AmiEventMapper.mask("PJSIP/+84977123456-00000012")).isEqualTo("PJSIP/+…-00000012");
        assertThat(AmiEventMapper.mask("PJSIP/officer-00000004")).isEqualTo("PJSIP/officer-00000004");
        assertThat(AmiEventMapper.mask("PJSIP/hotline-trunk-00000019")).isEqualTo("PJSIP/hotline-trunk-00000019");
    }
}
