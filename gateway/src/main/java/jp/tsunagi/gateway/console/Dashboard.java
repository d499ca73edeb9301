package jp.tsunagi.gateway.console;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import javax.sql.DataSource;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditSearch;
import jp.tsunagi.gateway.audit.RefusalFigures;
import jp.tsunagi.gateway.config.KeyInventory;
import jp.tsunagi.gateway.referral.ReferralFigures;
import jp.tsunagi.gateway.store.DeliveryFigures;
import jp.tsunagi.gateway.store.OutboxCounts;
import jp.tsunagi.schema.JapanTime;
import jp.tsunagi.schema.signature.KeyResolver;

/**
 * The dashboard (概要), the console's home page: what an administrator checks first. Referrals by state, the outbox's
 * backlog, overdue referrals (督促), the audit chain, keys expiring soon, connector routes, and charts of the last 30
 * days. Only ids, agency ids, codes, counts and times: no personal data, so every role may open it.
 */
final class Dashboard {
    /** How far ahead a certificate's expiry is shown. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(60);
    private static final int DAYS = 30;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM/dd");
    /** Upper bounds of the latency ranges of the delivery chart, and their labels. */
    private static final Duration[] LATENCY = {Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1),
            Duration.ofMinutes(10), Duration.ofHours(1)};

    /** A figure and its label. */
    record Count(String code, String label, long count) {
    }

    /** A key as the dashboard lists it. */
    record KeyRow(String kid, String owner, String algorithm, String expires, String state, boolean soon) {
    }

    /** The last verification of the chain. */
    record Verification(String at, String actor, String outcome) {
    }

    private final DataSource dataSource;
    private final KeyResolver gatewayKeys;
    private final RunningGateway running;
    private final Clock clock;

    Dashboard(DataSource dataSource, KeyResolver gatewayKeys, RunningGateway running, Clock clock) {
        this.dataSource = dataSource;
        this.gatewayKeys = gatewayKeys;
        this.running = running;
        this.clock = clock;
    }

    Map<String, Object> model() throws SQLException {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, JapanTime.ZONE);
        LocalDate first = today.minusDays(DAYS - 1);
        Instant since = first.atStartOfDay(JapanTime.ZONE).toInstant();
        Map<String, Object> model = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            model.put("referrals", ReferralFigures.byStatus(c).entrySet().stream()
                    .map(e -> new Count(e.getKey(), Pages.message("referral.status." + e.getKey()), e.getValue())).toList());
            OutboxCounts outbox = OutboxCounts.read(c);
            model.put("outbox", outbox);
            model.put("oldestPendingAge", outbox.oldestPending() == null ? null : age(Duration.ofSeconds(outbox.oldestPendingSeconds(now))));
            model.put("oldestDead", outbox.oldestDead() == null ? null : JapanTimeText.show(outbox.oldestDead().atOffset(JapanTime.OFFSET)));
            model.put("overdue", ReferralFigures.overdue(c));
            var head = AuditSearch.head(c, gatewayKeys).orElse(null);
            model.put("head", head);
            AuditChain.Backlog backlog = AuditChain.backlog(c, clock); // committed, not chained yet (architecture D12)
            model.put("unchained", backlog.entries());
            model.put("unchainedAge", String.format(Locale.ROOT, "%.1f", backlog.oldest().toMillis() / 1000.0));
            model.put("lastVerification", AuditSearch.last(c, AuditAction.AUDIT_VERIFIED)
                    .map(e -> new Verification(JapanTimeText.show(e.at()), e.actor(), e.outcome())).orElse(null));
            List<SvgChart> charts = new ArrayList<>();
            charts.add(perDay("chart-referrals", Pages.message("chart.referrals"), first,
                    ReferralFigures.startedSince(c, since).stream().map(r -> new Dated(r.at(), r.sender())).toList()));
            List<DeliveryFigures.Delivered> delivered = DeliveryFigures.deliveredSince(c, since);
            charts.add(perDay("chart-deliveries", Pages.message("chart.deliveries"), first,
                    delivered.stream().map(d -> new Dated(d.delivered(), d.recipient())).toList()));
            charts.add(latency(delivered));
            charts.add(refusals(RefusalFigures.byCode(c, since)));
            model.put("charts", charts);
        }
        Instant soon = now.plus(EXPIRY_WARNING);
        model.put("keys", running.keys().get().stream()
                .filter(k -> k.expiresBefore(soon) || "retiring".equals(k.state(now)))
                .map(k -> keyRow(k, now)).toList());
        model.put("routes", running.routes().get());
        return model;
    }

    static KeyRow keyRow(KeyInventory.Key k, Instant now) {
        String expires = k.notAfter() == null ? Pages.message("keys.noCertificate")
                : LocalDate.ofInstant(k.notAfter(), JapanTime.ZONE).toString();
        String state = Pages.message("keys.state." + k.state(now));
        if (k.retires() != null) {
            state += " (" + JapanTimeText.show(k.retires().atOffset(JapanTime.OFFSET)) + ")";
        }
        return new KeyRow(k.kid(), k.owner(), k.problem() != null ? k.problem() : k.algorithm(), expires, state,
                k.expiresBefore(now.plus(EXPIRY_WARNING)));
    }

    private record Dated(Instant at, String agency) {
    }

    private static SvgChart perDay(String id, String title, LocalDate first, List<Dated> events) {
        List<String> agencies = new ArrayList<>(new TreeSet<>(events.stream().map(Dated::agency).toList()));
        List<String> days = new ArrayList<>();
        for (int d = 0; d < DAYS; d++) {
            days.add(first.plusDays(d).format(DAY));
        }
        long[][] values = new long[DAYS][agencies.size()];
        for (Dated e : events) {
            int day = (int) (LocalDate.ofInstant(e.at(), JapanTime.ZONE).toEpochDay() - first.toEpochDay());
            if (day >= 0 && day < DAYS) {
                values[day][agencies.indexOf(e.agency())]++;
            }
        }
        String summary = Pages.message("chart.perDay.summary", title, events.size(), agencies.isEmpty() ? "—" : String.join("、", agencies));
        return SvgChart.stacked(id, title, summary, days, agencies, values, 5, Pages.message("chart.day"), Pages.message("chart.total"));
    }

    private static SvgChart latency(List<DeliveryFigures.Delivered> delivered) {
        List<String> ranges = new ArrayList<>();
        for (int i = 0; i < LATENCY.length; i++) {
            ranges.add(Pages.message("chart.latency.upTo." + i));
        }
        ranges.add(Pages.message("chart.latency.over"));
        long[] counts = new long[ranges.size()];
        for (DeliveryFigures.Delivered d : delivered) {
            Duration took = d.queued() == null ? Duration.ZERO : Duration.between(d.queued(), d.delivered());
            int i = 0;
            while (i < LATENCY.length && took.compareTo(LATENCY[i]) >= 0) {
                i++;
            }
            counts[i]++;
        }
        String title = Pages.message("chart.latency");
        return SvgChart.ranked("chart-latency", title, Pages.message("chart.latency.summary", delivered.size()), ranges, counts,
                Pages.message("chart.latency.range"), Pages.message("chart.count"));
    }

    private static SvgChart refusals(Map<String, Long> byCode) {
        List<String> codes = new ArrayList<>(byCode.keySet());
        long[] counts = byCode.values().stream().mapToLong(Long::longValue).toArray();
        long total = byCode.values().stream().mapToLong(Long::longValue).sum();
        String title = Pages.message("chart.refusals");
        return SvgChart.ranked("chart-refusals", title, Pages.message("chart.refusals.summary", total, codes.size()), codes,
                counts, Pages.message("chart.code"), Pages.message("chart.count"));
    }

    /** "3日4時間", "2時間5分", "12分" */
    static String age(Duration age) {
        long days = age.toDays();
        long hours = age.toHoursPart();
        long minutes = age.toMinutesPart();
        if (days > 0) {
            return Pages.message("age.days", days, hours);
        }
        if (hours > 0) {
            return Pages.message("age.hours", hours, minutes);
        }
        return Pages.message("age.minutes", minutes);
    }
}
