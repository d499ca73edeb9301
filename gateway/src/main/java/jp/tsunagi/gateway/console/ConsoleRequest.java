package jp.tsunagi.gateway.console;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP request to the console, as plain values (tested without HTTP).
 *
 * @param parameters the query string's parameters, and for a POST the form's (a name given twice: the first value)
 * @param cookies    the request's cookies by name
 */
public record ConsoleRequest(String method, String path, Map<String, String> parameters, Map<String, String> cookies) {
    public ConsoleRequest {
        parameters = Map.copyOf(parameters);
        cookies = Map.copyOf(cookies);
    }

    /** From the raw parts: the query string, the form's fields (POST), the Cookie header. */
    public static ConsoleRequest of(String method, String path, String query, Map<String, String> form, String cookieHeader) {
        Map<String, String> parameters = new LinkedHashMap<>();
        decode(query, parameters);
        if ("POST".equals(method)) {
            form.forEach(parameters::putIfAbsent);
        }
        Map<String, String> cookies = new LinkedHashMap<>();
        if (cookieHeader != null) {
            for (String pair : cookieHeader.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    cookies.putIfAbsent(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
                }
            }
        }
        return new ConsoleRequest(method, path, parameters, cookies);
    }

    public String parameter(String name) {
        String value = parameters.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static void decode(String text, Map<String, String> into) {
        if (text == null || text.isEmpty()) {
            return;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                into.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException malformed) {
                // a malformed escape: the parameter is ignored, as if absent
            }
        }
    }
}
