package jp.tsunagi.gateway.app;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import jp.tsunagi.connectors.mapping.Mapping;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.config.KeyFileCheck;
import jp.tsunagi.gateway.connect.EndpointReachability;
import jp.tsunagi.gateway.connect.Mappings;
import jp.tsunagi.gateway.connect.RouteCheck;
import jp.tsunagi.gateway.policy.PolicyConfig;
import jp.tsunagi.gateway.settings.Settings;
import jp.tsunagi.gateway.settings.SettingsException;
import jp.tsunagi.gateway.settings.SettingsFile;

/**
 * 設定の検査: every configuration file of a conf directory validated without starting anything, as
 * {@code tsunagi config check} prints it and the console's agencies page shows it. Problems make the configuration
 * invalid; warnings (an agency system that cannot be reached now) and suspensions do not.
 */
public record ConfigurationCheck(List<String> problems, List<String> warnings, List<String> suspensions) {
    public boolean valid() {
        return problems.isEmpty();
    }

    public static ConfigurationCheck of(Path conf) {
        List<String> problems = new ArrayList<>();
        AgencyDirectory agencies = check(problems, () -> AgencyDirectory.inConfDirectory(conf));
        PolicyConfig policy = check(problems, () -> PolicyConfig.inConfDirectory(conf));
        if (agencies != null && policy != null) {
            problems.addAll(policy.validate(agencies));
        }
        SettingsFile settings = checkSettings(conf, problems);
        if (agencies != null) {
            problems.addAll(KeyFileCheck.check(agencies, settings == null ? null : settings.get(Settings.KEYS_DIR)));
        }
        Set<String> mappingNames = new TreeSet<>();
        for (Path file : Mappings.files(conf)) {
            problems.addAll(Mapping.check(file));
            mappingNames.add(file.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
        }
        problems.addAll(RouteCheck.check(conf, agencies, mappingNames, settings));
        List<String> warnings = EndpointReachability.warnings(conf, agencies);
        return new ConfigurationCheck(List.copyOf(problems), List.copyOf(warnings), suspensions(agencies));
    }

    /** gateway.properties: each problem with its line (the file once valid, for the routes' placeholders). */
    private static SettingsFile checkSettings(Path conf, List<String> problems) {
        try {
            SettingsFile settings = SettingsFile.load(conf);
            check(problems, () -> GatewaySettings.load(conf));
            return settings;
        } catch (SettingsException e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    /** 利用停止: each suspended agency, so that nobody starts a gateway unaware that one is (still) suspended. */
    private static List<String> suspensions(AgencyDirectory agencies) {
        if (agencies == null) {
            return List.of();
        }
        return agencies.suspended().stream().map(agency -> "suspended: " + agency.id() + " (" + agency.name() + ") since "
                + agency.suspended().since() + ": " + agency.suspended().reason()
                + " (nothing is accepted from it; copies to it are held)").toList();
    }

    private static <T> T check(List<String> problems, Supplier<T> load) {
        try {
            return load.get();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            problems.add(e.getMessage());
            return null;
        }
    }
}
