package vn.hotline.gateway.channel.asterisk.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.asteriskjava.util.SocketConnectionFacade;

/**
 * One FastAGI connection, read line by line from a 512-byte buffer and written straight to the socket.
 *
 * <p>It replaces Asterisk-Java's {@code SocketConnectionFacadeImpl}, which gives every connection about 48 KB of
 * buffers (a reader's and a writer's, each of 8,192 chars plus their charset coders' 8 KB). A connection lives as long
 * as its call is in the menu, so at 2,000 calls that was 96 MB the young collection copied at every pause: nearly
 * all of what survived one (ops/bench/README.md). Lines behave as the library's: split at {@code \n} only, decoded as
 * UTF-8, one empty line before the first skipped, a last line without {@code \n} returned before the end of the stream,
 * and no length limit (the script refuses an environment it cannot use; only allowed addresses get this far).
 */
final class AgiSocket implements SocketConnectionFacade {

    private static final int BUFFER = 512;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[BUFFER];
    private int position;
    private int limit;
    /** The start of a line that went on past the end of {@link #buffer}; null between such lines. */
    private ByteArrayOutputStream partial;
    private boolean first = true;
    private boolean ended;

    /** @param readTimeoutMillis the longest wait for one line; 0 waits for ever */
    AgiSocket(Socket socket, int readTimeoutMillis) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(readTimeoutMillis);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    @Override
    public String readLine() throws IOException {
        String line = nextLine();
        if (first) {
            first = false;
            if (line != null && line.isEmpty()) {
                line = nextLine();
            }
        }
        return line;
    }

    private String nextLine() throws IOException {
        while (true) {
            for (int i = position; i < limit; i++) {
                if (buffer[i] == '\n') {
                    String line = line(i);
                    position = i + 1;
                    return line;
                }
            }
            if (position < limit) {
                // The line goes on in the next read.
                if (partial == null) {
                    partial = new ByteArrayOutputStream(BUFFER);
                }
                partial.write(buffer, position, limit - position);
            }
            position = 0;
            limit = 0;
            if (ended) {
                return null;
            }
            int read = in.read(buffer, 0, BUFFER);
            if (read < 0) {
                ended = true;
                return partial == null ? null : line(0);
            }
            limit = read;
        }
    }

    /** The line ending before {@code end} in the buffer, after whatever of it earlier reads kept. */
    private String line(int end) {
        if (partial == null) {
            return new String(buffer, position, end - position, StandardCharsets.UTF_8);
        }
        partial.write(buffer, position, end - position);
        String line = partial.toString(StandardCharsets.UTF_8);
        partial = null;
        return line;
    }

    @Override
    public void write(String s) throws IOException {
        // Asterisk-Java writes each command as one string and flushes it: one write to the socket per command.
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void flush() {
        // Nothing is buffered.
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public boolean isConnected() {
        return socket.isConnected();
    }

    @Override
    public InetAddress getLocalAddress() {
        return socket.getLocalAddress();
    }

    @Override
    public int getLocalPort() {
        return socket.getLocalPort();
    }

    @Override
    public InetAddress getRemoteAddress() {
        return socket.getInetAddress();
    }

    @Override
    public int getRemotePort() {
        return socket.getPort();
    }
}
