package jp.tsunagi.gateway.connect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import jp.tsunagi.gateway.config.AgencyDirectory;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector routes of {@code conf/routes/*.yaml} and the mappings of {@code conf/mappings/*.yaml}, loaded at
 * start and reloaded while the gateway runs (設定の再読込), atomically: a changed set is first checked as
 * {@code config check} checks it (mappings compiled, every {@code tsunagi:} step naming a registered agency and an
 * existing mapping, Kamelets that exist, placeholders resolved), then the running connector routes are replaced by
 * the new ones; if any of them fails to start, they are removed and the previous set (routes and mappings) is put
 * back. A change of mappings alone swaps the mappings without stopping a route. A refused change is logged and kept in {@link #status()} (shown by health) until a later change applies.
 * The gateway's own routes (the HTTP API) are never touched.
 */
public final class ConnectorReload implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorReload.class);

    /**
     * The last reload: how many changes were seen since start, when the last one was, and why it was refused (null
     * if it applied). The error names files, lines and route ids, never a message's content.
     */
    public record Status(int changes, Instant at, String error) {
    }

    private final CamelContext context;
    private final Path conf;
    private final TsunagiComponent tsunagi;
    private final Set<String> gatewayRoutes;
    private final Clock clock;
    private final ScheduledExecutorService watcher;
    private Map<Path, byte[]> applied = Map.of();
    private Map<Path, byte[]> refused = Map.of();
    private volatile Status status = new Status(0, null, null);

    private ConnectorReload(CamelContext context, Path conf, TsunagiComponent tsunagi, Clock clock) {
        this.context = context;
        this.conf = conf;
        this.tsunagi = tsunagi;
        this.clock = clock;
        this.gatewayRoutes = Set.copyOf(context.getRoutes().stream().map(Route::getRouteId).toList());
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tsunagi-config-reload");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Loads the connector routes into the started context (after the gateway's own routes) and looks for changes
     * every {@code interval}.
     *
     * @throws Exception if a route of conf/routes/ does not start: the gateway does not start half-connected
     */
    public static ConnectorReload start(CamelContext context, Path conf, TsunagiComponent tsunagi, Duration interval) throws Exception {
        ConnectorReload reload = new ConnectorReload(context, conf, tsunagi, Clock.systemUTC());
        Map<Path, byte[]> files = reload.files();
        for (RoutesBuilder builder : reload.builders(files)) {
            context.addRoutes(builder);
        }
        reload.applied = files;
        reload.watcher.scheduleWithFixedDelay(reload::reloadIfChanged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return reload;
    }

    public Status status() {
        return status;
    }

    /** What Camel's health checks say of each connector route running now. */
    public ConnectorRouteHealth health() {
        return new ConnectorRouteHealth(context, gatewayRoutes);
    }

    /** Applies the files if they changed since the last look; never throws (the running set stays on any failure). */
    synchronized void reloadIfChanged() {
        Map<Path, byte[]> files;
        try {
            files = files();
        } catch (UncheckedIOException e) {
            return; // a file being replaced: look again next time
        }
        if (same(files, applied) || status.error() != null && same(files, refused)) {
            return;
        }
        String error = reload(files);
        status = new Status(status.changes() + 1, clock.instant(), error);
        if (error == null) {
            applied = files;
            refused = Map.of();
            LOG.info("configuration reloaded: {} route file(s), {} mapping file(s)", count(files, "routes"), count(files, "mappings"));
        } else {
            refused = files;
            LOG.warn("configuration change refused, the running routes and mappings stay: {}", error);
        }
    }

    /** Checks, then swaps; the error if the change is refused, else null. */
    private String reload(Map<Path, byte[]> files) {
        Mappings mappings;
        try {
            mappings = Mappings.inConfDirectory(conf);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            return e.getMessage();
        }
        ConnectorIntake intake = tsunagi.intake();
        AgencyDirectory agencies = intake.agencies();
        Set<String> mappingNames = new TreeSet<>();
        Mappings.files(conf).forEach(f -> mappingNames.add(f.getFileName().toString().replaceFirst("\\.ya?ml$", "")));
        List<String> problems = RouteCheck.check(conf, agencies, mappingNames, context::resolvePropertyPlaceholders);
        if (!problems.isEmpty()) {
            return String.join("\n", problems);
        }
        Mappings previous = intake.mappings();
        intake.useMappings(mappings);
        if (same(routeFiles(files), routeFiles(applied))) {
            return null; // mappings alone: the next document is read with them, no route stops
        }
        try {
            replaceRoutes(builders(files));
            return null;
        } catch (Exception e) {
            String why = "a route failed to start: " + firstLine(e);
            try {
                removeConnectorRoutes();
                intake.useMappings(previous);
                replaceRoutes(builders(applied));
            } catch (Exception again) {
                // the previous set started before: this is not expected; say so, the API keeps answering
                LOG.error("the previous connector routes could not be restored: {}", firstLine(again));
                why += "; the previous routes could not be restored (" + firstLine(again) + "): restart the gateway";
            }
            return why;
        }
    }

    private void replaceRoutes(List<RoutesBuilder> builders) throws Exception {
        removeConnectorRoutes();
        for (RoutesBuilder builder : builders) {
            context.addRoutes(builder);
        }
    }

    /** Stops and removes every route that is not the gateway's own, Kamelet routes included. */
    private void removeConnectorRoutes() throws Exception {
        List<String> ids = context.getRoutes().stream().map(Route::getRouteId).filter(id -> !gatewayRoutes.contains(id)).toList();
        for (String id : ids) {
            context.getRouteController().stopRoute(id);
        }
        for (String id : ids) {
            context.removeRoute(id);
        }
    }

    private List<RoutesBuilder> builders(Map<Path, byte[]> files) throws Exception {
        List<Resource> resources = new ArrayList<>();
        routeFiles(files).forEach((file, bytes) -> resources.add(ResourceHelper.fromBytes("file:" + file, bytes)));
        return new ArrayList<>(PluginHelper.getRoutesLoader(context).findRoutesBuilders(resources));
    }

    private static Map<Path, byte[]> routeFiles(Map<Path, byte[]> files) {
        Map<Path, byte[]> routes = new LinkedHashMap<>();
        files.forEach((file, bytes) -> {
            if (file.getParent().getFileName().toString().equals("routes")) {
                routes.put(file, bytes);
            }
        });
        return routes;
    }

    /** The YAML files of conf/routes/ and conf/mappings/ with their bytes. */
    private Map<Path, byte[]> files() {
        Map<Path, byte[]> files = new LinkedHashMap<>();
        for (Path file : Mappings.yamlFiles(conf.resolve("routes"))) {
            files.put(file.toAbsolutePath(), read(file));
        }
        for (Path file : Mappings.files(conf)) {
            files.put(file.toAbsolutePath(), read(file));
        }
        return files;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean same(Map<Path, byte[]> a, Map<Path, byte[]> b) {
        return a.keySet().equals(b.keySet()) && a.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), b.get(e.getKey())));
    }

    private static long count(Map<Path, byte[]> files, String directory) {
        return files.keySet().stream().filter(f -> f.getParent().getFileName().toString().equals(directory)).count();
    }

    /** The first line of the failure and of its causes, credentials in URIs masked. */
    private static String firstLine(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 400; t = t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().lines().findFirst().orElse("");
            if (text.indexOf(message) < 0) {
                text.append(text.length() == 0 ? "" : ": ").append(message);
            }
        }
        return URISupport.sanitizeUri(text.toString());
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }
}
