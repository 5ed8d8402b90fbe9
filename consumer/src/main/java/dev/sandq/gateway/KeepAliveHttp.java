package dev.sandq.gateway;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 connection to the gateway, kept open, over which JSON is POSTed and each answer
 * read by its Content-Length: what a pooling client such as Dify's httpx does per request, without
 * a client library's own threads and futures. The gateway bench uses it to tell the gateway's
 * cost apart from the JDK HttpClient's; tests, to send a run the instant the last was answered.
 */
public final class KeepAliveHttp implements AutoCloseable {
    /** A status and a body. */
    public record Answer(int status, byte[] body) {
    }

    private final String host;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    public KeepAliveHttp(InetSocketAddress address) throws IOException {
        this.host = address.getHostString() + ":" + address.getPort();
        this.socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address);
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    public Answer postJson(String path, String apiKey, byte[] body) throws IOException {
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nX-Api-Key: " + apiKey
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        out.write(request);
        out.flush();
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        int length = -1;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon > 0 && header.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("content-length")) {
                length = Integer.parseInt(header.substring(colon + 1).strip());
            }
        }
        if (length < 0) {
            throw new IOException("an answer without Content-Length: the connection cannot be kept");
        }
        return new Answer(Integer.parseInt(parts[1]), in.readNBytes(length));
    }

    private String line() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the gateway closed the connection");
            }
            if (b != '\r') {
                buf.write(b);
            }
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
