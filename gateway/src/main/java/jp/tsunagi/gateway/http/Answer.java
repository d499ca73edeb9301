package jp.tsunagi.gateway.http;

import java.nio.charset.StandardCharsets;

/** What the gateway answers an HTTP request with: status, media type and body. */
public record Answer(int status, String contentType, byte[] body) {
    public static Answer of(int status, String contentType, String body) {
        return new Answer(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
