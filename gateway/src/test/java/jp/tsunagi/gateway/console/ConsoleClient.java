package jp.tsunagi.gateway.console;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A plain HTTP client of the console that keeps its session cookie, as a browser without JavaScript would. */
final class ConsoleClient {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern SET_COOKIE = Pattern.compile("^([^=]+)=([^;]*)");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String base;
    String cookie;

    ConsoleClient(String base) {
        this.base = base;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** POSTs the form (name, value, name, value, ...). */
    HttpResponse<String> post(String path, String... form) throws IOException, InterruptedException {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < form.length; i += 2) {
            pairs.add(URLEncoder.encode(form[i], StandardCharsets.UTF_8) + "=" + URLEncoder.encode(form[i + 1], StandardCharsets.UTF_8));
        }
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("&", pairs))));
    }

    /** Opens the login page and logs in; the response is the redirect that follows a login. */
    HttpResponse<String> login(String name, String password) throws IOException, InterruptedException {
        String csrf = csrf(get("/admin/login").body());
        return post("/admin/login", "_csrf", csrf, "name", name, "password", password);
    }

    static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no CSRF token in the page");
        }
        return m.group(1);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        response.headers().firstValue("Set-Cookie").ifPresent(set -> {
            Matcher m = SET_COOKIE.matcher(set);
            if (m.find()) {
                cookie = m.group(2).isEmpty() ? null : m.group(1) + "=" + m.group(2);
            }
        });
        return response;
    }
}
