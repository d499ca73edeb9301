package jp.tsunagi.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import jp.tsunagi.gateway.store.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The console's reading of the trail: filters, time ranges and keyset pages. */
class AuditSearchTest {
    static List<TestDatabases.Kind> kinds() {
        return TestDatabases.kinds();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void a_time_range_holds_exactly_the_entries_of_that_time_even_those_appended_together(TestDatabases.Kind kind)
            throws Exception {
        AuditChainTest.MutableClock clock = new AuditChainTest.MutableClock(Instant.parse("2024-04-01T00:00:00Z"));
        AuditChain chain = AuditFixtures.chain(clock);
        try (AuditDatabase db = AuditDatabase.fresh(kind); Connection c = db.dataSource.getConnection()) {
            chain.appendAll(c, List.of(AuditFixtures.event(1), AuditFixtures.event(2)));        // seq 1-2 at 00:00
            clock.now = Instant.parse("2024-04-01T01:00:00Z");
            chain.appendAll(c, List.of(AuditFixtures.event(3), AuditFixtures.event(4), AuditFixtures.event(5))); // 3-5 at 01:00
            clock.now = Instant.parse("2024-04-01T02:00:00Z");
            chain.append(c, AuditFixtures.event(6));                                             // seq 6 at 02:00
            AuditFixtures.chainAll(chain, c);

            assertThat(seqs(c, "2024-04-01T00:30:00Z", "2024-04-01T02:00:00Z")).containsExactly(5L, 4L, 3L);
            assertThat(seqs(c, "2024-04-01T01:00:00Z", null)).containsExactly(6L, 5L, 4L, 3L);
            assertThat(seqs(c, null, "2024-04-01T01:00:00Z")).containsExactly(2L, 1L);
            assertThat(seqs(c, "2024-04-01T03:00:00Z", null)).isEmpty();
            AuditSearch.Page first = AuditSearch.newestFirst(c, AuditSearch.Filter.ALL, 0, 4);
            assertThat(first.entries()).extracting(AuditEntry::seq).containsExactly(6L, 5L, 4L, 3L);
            assertThat(AuditSearch.newestFirst(c, AuditSearch.Filter.ALL, first.nextBefore(), 4).entries())
                    .extracting(AuditEntry::seq).containsExactly(2L, 1L);
        }
    }

    private static List<Long> seqs(Connection c, String from, String to) throws Exception {
        AuditSearch.Filter filter = new AuditSearch.Filter(from == null ? null : OffsetDateTime.parse(from),
                to == null ? null : OffsetDateTime.parse(to), null, null, null, null, null, null, null);
        return AuditSearch.newestFirst(c, filter, 0, 50).entries().stream().map(AuditEntry::seq).toList();
    }
}
