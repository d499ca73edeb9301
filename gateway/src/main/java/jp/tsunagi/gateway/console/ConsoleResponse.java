package jp.tsunagi.gateway.console;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the console answers: status, media type, body and the headers to set (cookies, security headers, Location). */
public record ConsoleResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    public ConsoleResponse {
        headers = Map.copyOf(new LinkedHashMap<>(headers));
    }

    static ConsoleResponse html(int status, String html, Map<String, String> headers) {
        return new ConsoleResponse(status, "text/html; charset=UTF-8", html.getBytes(StandardCharsets.UTF_8), headers);
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
