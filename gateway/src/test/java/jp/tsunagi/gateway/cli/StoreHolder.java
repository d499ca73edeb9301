package jp.tsunagi.gateway.cli;

import java.nio.file.Path;
import jp.tsunagi.gateway.store.Database;

/** Another process holding the store open as a running gateway does: opens it, says "holding", waits for stdin to close. */
public final class StoreHolder {
    private StoreHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (Database db = Database.open(args[0])) {
            System.out.println("holding");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait until the test closes our standard input
            }
        }
    }

    /** Starts the holder on the URL and returns once it holds the store. */
    static Process start(String url) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StoreHolder.class.getName(), url)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        String line = reader.readLine(); // blocks until the holder has opened the store (or died: null)
        if (!"holding".equals(line)) {
            process.destroyForcibly();
            throw new IllegalStateException("the holder did not open the store: " + line);
        }
        return process;
    }

    /** Lets the holder close the store and waits for it to end. */
    static void stop(Process process) throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
