package vn.hotline.gateway.channel.asterisk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.asteriskjava.fastagi.command.GetDataCommand;
import org.asteriskjava.fastagi.command.SetVariableCommand;
import org.asteriskjava.fastagi.command.StreamFileCommand;
import org.asteriskjava.fastagi.command.WaitForDigitCommand;
import org.junit.jupiter.api.Test;

/**
 * The FastAGI wire as this server writes and reads it without Asterisk-Java's own classes ({@link AgiLine},
 * {@link AgiSocket}): the same command text as the library's command classes, and the same lines read from a socket.
 */
class AgiWireTest {

    @Test
    void commandLinesAreTheLibrarysOwnTextForAnyArgument() {
        for (String value : List.of("hotline/vi/menu-greeting", "0123456789*#", "", "a \"quoted\" \\path\\",
                "two\nlines", "Nguyễn Văn A", "PJSIP/0912345678@trunk&PJSIP/0987654321@trunk")) {
            assertThat(AgiLine.streamFile(value, "12").buildCommand())
                    .isEqualTo(new StreamFileCommand(value, "12").buildCommand());
            assertThat(AgiLine.streamFile("f", value).buildCommand())
                    .isEqualTo(new StreamFileCommand("f", value).buildCommand());
            assertThat(AgiLine.getData(value, 6000, 1).buildCommand())
                    .isEqualTo(new GetDataCommand(value, 6000, 1).buildCommand());
            assertThat(AgiLine.setVariable("HOTLINE_LADDER", value).buildCommand())
                    .isEqualTo(new SetVariableCommand("HOTLINE_LADDER", value).buildCommand());
        }
        assertThat(AgiLine.streamFile("f", null).buildCommand()).isEqualTo(new StreamFileCommand("f", null).buildCommand());
        assertThat(AgiLine.waitForDigit(5000).buildCommand()).isEqualTo(new WaitForDigitCommand(5000).buildCommand());
        assertThat(AgiLine.ANSWER.buildCommand()).isEqualTo("ANSWER");
        assertThat(AgiLine.HANGUP.buildCommand()).isEqualTo("HANGUP");
    }

    @Test
    void aCommandNamedInALogShowsNoArgumentSuchAsAPhoneNumber() {
        assertThat(AgiLine.setVariable("HOTLINE_LADDER", "PJSIP/0912345678@trunk").verb()).isEqualTo("SET VARIABLE");
        assertThat(AgiLine.waitForDigit(5000).toString()).isEqualTo("WAIT FOR DIGIT 5000");
    }

    @Test
    void linesAreReadAsTheLibraryReadsThemWhateverTheReadsCutThem() throws Exception {
        String longLine = "agi_calleridname: " + "Nguyễn ".repeat(300);
        String sent = "\nagi_network: yes\n" + longLine + "\n\n200 result=0\r\n"
                + "x".repeat(510) + "é\n" + "HANGUP\n" + "200 result=-1 endpos=0";
        List<String> lines = readAll(sent.getBytes(StandardCharsets.UTF_8), 1);

        assertThat(lines).containsExactly("agi_network: yes", longLine, "", "200 result=0\r", "x".repeat(510) + "é",
                "HANGUP", "200 result=-1 endpos=0");
        // Written at once or byte by byte, the lines are the same.
        assertThat(readAll(sent.getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE)).isEqualTo(lines);
    }

    @Test
    void theEndOfTheStreamEndsTheLinesAndOnlyTheFirstEmptyLineIsSkipped() throws Exception {
        assertThat(readAll("".getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE)).isEmpty();
        assertThat(readAll("a\n\nb\n".getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE)).containsExactly("a", "", "b");
        assertThat(readAll("\n\n".getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE)).containsExactly("");
    }

    @Test
    void aCommandIsWrittenAsItsUtf8Bytes() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            AgiSocket socket = new AgiSocket(accepted, 5000);
            socket.write(AgiLine.setVariable("NAME", "Lê Thị Hoa").buildCommand() + "\n");
            socket.flush();
            byte[] expected = "SET VARIABLE \"NAME\" \"Lê Thị Hoa\"\n".getBytes(StandardCharsets.UTF_8);
            assertThat(client.getInputStream().readNBytes(expected.length)).isEqualTo(expected);
        }
    }

    /** Sends {@code bytes} in writes of {@code chunk} bytes, closes, and reads every line back. */
    private static List<String> readAll(byte[] bytes, int chunk) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            client.setTcpNoDelay(true);
            Thread writer = new Thread(() -> {
                try (OutputStream out = client.getOutputStream()) {
                    for (int i = 0; i < bytes.length; i += chunk) {
                        out.write(bytes, i, Math.min(chunk, bytes.length - i));
                        out.flush();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            AgiSocket socket = new AgiSocket(accepted, 5000);
            List<String> lines = new ArrayList<>();
            for (String line = socket.readLine(); line != null; line = socket.readLine()) {
                lines.add(line);
            }
            writer.join();
            return lines;
        }
    }
}
