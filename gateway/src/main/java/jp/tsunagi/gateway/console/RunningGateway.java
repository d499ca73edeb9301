package jp.tsunagi.gateway.console;

import java.util.List;
import java.util.function.Supplier;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.config.KeyInventory;
import jp.tsunagi.gateway.policy.PolicyConfig;

/**
 * What the dashboard (概要) and the agencies page (機関・設定) show of the running gateway besides its store: the
 * configuration it runs, its keys, its connector routes and the result of {@code config check}. Each is asked for when
 * a page is shown. The application wires it ({@code Console#showingGateway}).
 */
public record RunningGateway(Supplier<AgencyDirectory> agencies, Supplier<PolicyConfig> policy,
                         Supplier<List<KeyInventory.Key>> keys, Supplier<List<RouteState>> routes,
                         Supplier<ConfigurationCheck> check) {
    /** A connector route: UP or DOWN, and the kind of its last failure (never its message: it may quote a file name). */
    public record RouteState(String route, String status, String failure) {
    }

    /** The result of {@code config check}: problems (invalid), warnings (unreachable systems), suspensions. */
    public record ConfigurationCheck(List<String> problems, List<String> warnings, List<String> suspensions) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /** Nothing known (a console without a running gateway, as in some tests). */
    static final RunningGateway NONE = new RunningGateway(() -> null, () -> null, List::of, List::of, () -> null);
}
