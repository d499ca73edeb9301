package jp.tsunagi.gateway.cli;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The demo's configuration (conf/ with the demo's settings) with its paths and ports moved into a test's directory. */
final class DemoConf {
    private DemoConf() {
    }

    /** The demo's conf, its keys, database, exchange folder and every port moved into the test's directory. */
    static Path defaultConfIn(Path dir) throws Exception {
        Path demo = DemoConfiguration.assemble(Path.of("../.."), dir.resolve("demo-conf"));
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Map<String, String> moved = new LinkedHashMap<>();
        moved.put("data/keys/", dir.resolve("keys") + "/");
        moved.put("data/demo/", dir.resolve("data/demo") + "/");
        moved.put("data/exchange/", dir.resolve("data/exchange") + "/");
        for (int port : new int[] {18081, 18082, 18083, 18084, 18085, 18022}) {
            int free = freePort();
            moved.put("127.0.0.1:" + port, "127.0.0.1:" + free);
            moved.put("port: " + port, "port: " + free);
            moved.put("port=" + port, "port=" + free);
        }
        copyMoved(demo, conf, moved);
        for (String folder : new String[] {"routes", "mappings"}) {
            try (var files = Files.list(demo.resolve(folder))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                    copyMoved(file.getParent(), Files.createDirectories(conf.resolve(folder)), moved, file.getFileName().toString());
                }
            }
        }
        copyMoved(demo, conf, moved, "gateway.properties");
        Files.writeString(conf.resolve("gateway.properties"), "\ntsunagi.db.url=jdbc:h2:file:" + dir.resolve("data/tsunagi") + "\n"
                + "tsunagi.keys.dir=" + dir.resolve("keys") + "\ntsunagi.http.port=" + freePort() + "\n"
                + "tsunagi.exchange.dir=" + dir.resolve("data/exchange") + "\n", java.nio.file.StandardOpenOption.APPEND);
        return conf;
    }

    private static void copyMoved(Path from, Path to, Map<String, String> moved) throws Exception {
        copyMoved(from, to, moved, "agencies.yaml");
        copyMoved(from, to, moved, "policy.yaml");
    }

    /** Copies a file with every demo path and port replaced by the test's. */
    private static void copyMoved(Path from, Path to, Map<String, String> moved, String name) throws Exception {
        String text = Files.readString(from.resolve(name));
        for (Map.Entry<String, String> e : moved.entrySet()) {
            text = text.replace(e.getKey(), e.getValue());
        }
        Files.writeString(to.resolve(name), text);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
