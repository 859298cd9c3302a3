package vn.hotline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class HangDumpTest {

    @Test
    void aTestThatGaveUpWaitingIsAHangAndAFailedAssertionIsNot() {
        assertThat(HangDump.isHang(new IllegalStateException("Timeout on blocking read for 30000000000 NANOSECONDS"))).isTrue();
        assertThat(HangDump.isHang(new RuntimeException("page", new TimeoutException()))).isTrue();
        assertThat(HangDump.isHang(new AssertionError("expected 200 but was 500"))).isFalse();
    }
}
