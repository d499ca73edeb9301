package jp.tsunagi.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.KeyResolver;
import jp.tsunagi.schema.signature.SigningKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real chain of 50 entries (checkpoints at seq 1, 11, 21, 31, 41), tampered with directly in the database, on H2
 * and on PostgreSQL: the verifier names the first bad seq and the kind of tampering.
 */
class AuditVerifierTest {
    private static final String KINDS = "jp.tsunagi.gateway.store.TestDatabases#kinds";
    private final AuditVerifier verifier = new AuditVerifier(AuditDatabase.GATEWAY_KEYS);

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void an_empty_trail_is_intact(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = AuditDatabase.fresh(kind)) {
            VerificationResult result = verifier.verify(db.dataSource);

            assertThat(result.intact()).as(result.summary()).isTrue();
            assertThat(result.summary()).isEqualTo("intact: 0 entries, 0 checkpoints");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void a_fresh_chain_is_intact(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = AuditDatabase.fresh(kind)) {
            List<AuditEntry> written = AuditFixtures.write(db.dataSource, 50);

            VerificationResult result = verifier.verify(db.dataSource);

            assertThat(result.summary()).isEqualTo("intact: 50 entries, 5 checkpoints");
            assertThat(result.headSeq()).isEqualTo(50);
            assertThat(result.headHash()).isEqualTo(written.get(49).entryHash());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void a_changed_field_is_found_at_its_entry(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = chainOf50(kind)) {
            db.sql("UPDATE audit_entry SET code = 'consent.in-scope' WHERE seq = 23");

            assertTampered(db, 23, Tampering.CHANGED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void a_time_moved_by_one_microsecond_is_found(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = chainOf50(kind)) {
            db.sql("UPDATE audit_entry SET at = at + INTERVAL '0.000001' SECOND WHERE seq = 7");

            assertTampered(db, 7, Tampering.CHANGED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void a_deleted_entry_is_found_as_the_gap(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = chainOf50(kind)) {
            db.sql("DELETE FROM audit_entry WHERE seq = 23");

            VerificationResult result = assertTampered(db, 23, Tampering.DELETED);
            assertThat(result.detail()).contains("seq 23 is missing");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void the_first_entries_deleted_are_found(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = chainOf50(kind)) {
            db.sql("DELETE FROM audit_entry WHERE seq <= 3");

            VerificationResult result = assertTampered(db, 1, Tampering.DELETED);
            assertThat(result.detail()).contains("seq 1 to 3 are missing: the chain starts at seq 4");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void a_deleted_entry_with_the_rest_renumbered_is_found_where_the_link_breaks(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = chainOf50(kind)) {
            db.sql("DELETE FROM audit_entry WHERE seq = 23",
                    "UPDATE audit_entry SET seq = seq + 1000000 WHERE seq > 23",
                    "UPDATE audit_entry SET seq = seq - 1000001 WHERE seq > 1000000");

            assertTampered(db, 23, Tampering.REORDERED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void an_entry_added_after_the_signed_head_is_found(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = chainOf50(kind)) {
            AuditEntry last = entry(db, 50);
            // a well-formed entry with a correct hash link: only the gateway's signature is missing
            insert(db, AuditEntry.next(51, last.at(), last.entryHash(), AuditFixtures.event(51), new AuditEntry.ChainHash()));

            assertTampered(db, 51, Tampering.INSERTED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void an_entry_inserted_in_the_middle_is_found(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = chainOf50(kind)) {
            AuditEntry before = entry(db, 25);
            db.sql("UPDATE audit_entry SET seq = seq + 1000000 WHERE seq > 25",
                    "UPDATE audit_entry SET seq = seq - 999999 WHERE seq > 1000000");
            insert(db, AuditEntry.next(26, before.at(), before.entryHash(), AuditFixtures.event(99), new AuditEntry.ChainHash()));

            VerificationResult result = assertTampered(db, 26, Tampering.INSERTED);
            assertThat(result.detail()).contains("seq 26 is not part of the chain");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void two_entries_swapped_are_found_at_the_first(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = chainOf50(kind)) {
            swap(db, 20, 30);

            assertTampered(db, 20, Tampering.REORDERED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void two_neighbours_swapped_are_found_at_the_first(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = chainOf50(kind)) {
            swap(db, 33, 34);

            assertTampered(db, 33, Tampering.REORDERED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void the_newest_entries_deleted_after_the_last_checkpoint_are_found(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = chainOf50(kind)) {
            db.sql("DELETE FROM audit_entry WHERE seq > 45");

            VerificationResult result = assertTampered(db, 46, Tampering.TRUNCATED);
            assertThat(result.detail()).contains("signed head names seq 50");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void the_newest_entries_deleted_with_their_checkpoint_are_found(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = chainOf50(kind)) {
            db.sql("DELETE FROM audit_entry WHERE seq > 40");

            VerificationResult result = assertTampered(db, 41, Tampering.TRUNCATED);
            assertThat(result.detail()).contains("checkpoint names seq 41");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void a_truncation_covered_by_a_head_copied_from_a_checkpoint_is_found(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = chainOf50(kind)) {
            db.sql("DELETE FROM audit_entry WHERE seq > 41",
                    "UPDATE audit_head SET (last_seq, last_hash, at, kid, signature) = "
                            + "(SELECT seq, entry_hash, at, kid, signature FROM audit_checkpoint WHERE seq = 41)");

            assertTampered(db, 41, Tampering.FORGED_SIGNATURE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void an_altered_head_is_found(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = chainOf50(kind)) {
            db.sql("UPDATE audit_head SET last_hash = '" + "f".repeat(64) + "'");

            VerificationResult result = assertTampered(db, 50, Tampering.FORGED_SIGNATURE);
            assertThat(result.detail()).contains("head");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void a_head_moved_back_to_hide_entries_is_found(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = chainOf50(kind)) {
            AuditEntry kept = entry(db, 45);
            db.sql("DELETE FROM audit_entry WHERE seq > 45",
                    "UPDATE audit_head SET last_seq = 45, last_hash = '" + kept.entryHash() + "'");

            assertTampered(db, 45, Tampering.FORGED_SIGNATURE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void an_unsigned_or_deleted_head_is_found(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = chainOf50(kind)) {
            db.sql("UPDATE audit_head SET signature = NULL");
            assertTampered(db, 50, Tampering.MISSING_SIGNATURE);

            db.sql("DELETE FROM audit_head");
            assertTampered(db, 50, Tampering.MISSING_SIGNATURE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void a_chain_changed_and_rehashed_is_found_after_the_last_matching_checkpoint(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = chainOf50(kind)) {
            // the attacker changes seq 23 and recomputes every later hash (SHA-256 needs no key); only the signatures
            // of the gateway, which they cannot make, still hold the old hashes
            List<AuditEntry> all = new ArrayList<>();
            for (long s = 1; s <= 50; s++) {
                all.add(entry(db, s));
            }
            String prev = all.get(21).entryHash();
            AuditEntry.ChainHash hash = new AuditEntry.ChainHash();
            for (int i = 22; i < 50; i++) {
                AuditEntry e = all.get(i);
                AuditEntry changed = new AuditEntry(e.seq(), e.at(), e.actor(), e.action(), e.messageId(), e.referralId(),
                        e.subjectRef(), e.dataCategories(), e.basis(), e.outcome(), i == 22 ? "consent.in-scope" : e.code(),
                        prev, null);
                changed = changed.withEntryHash(hash.of(prev, changed.canonical()));
                update(db, changed);
                prev = changed.entryHash();
            }

            VerificationResult result = assertTampered(db, 22, Tampering.REWRITTEN);
            assertThat(result.detail()).contains("from seq 22 to 31");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void a_checkpoint_signed_by_another_key_is_found(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = chainOf50(kind)) {
            KeyPair other = KeyMaterial.generateP256();
            AuditEntry e = entry(db, 31);
            // the right kid, the wrong key: what an attacker who can write the database but has no gateway key can do
            String forged = AuditSignatures.sign(new SigningKey("gateway#1", other.getPrivate()), AuditSignatures.CHECKPOINT,
                    31, e.entryHash(), e.at());
            db.sql("UPDATE audit_checkpoint SET signature = '" + forged + "' WHERE seq = 31");

            assertTampered(db, 31, Tampering.FORGED_SIGNATURE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void an_agency_key_cannot_vouch_for_the_trail(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = chainOf50(kind)) {
            KeyPair agency = KeyMaterial.generateP256();
            AuditVerifier trustingAnAgency = new AuditVerifier(KeyResolver.of(Map.of(
                    "gateway#1", AuditDatabase.GATEWAY.getPublic(), "tsunagi-tax#1", agency.getPublic())));
            AuditEntry e = entry(db, 11);
            String signedByAgency = AuditSignatures.sign(new SigningKey("tsunagi-tax#1", agency.getPrivate()),
                    AuditSignatures.CHECKPOINT, 11, e.entryHash(), e.at());
            db.sql("UPDATE audit_checkpoint SET signature = '" + signedByAgency + "' WHERE seq = 11");

            assertThat(trustingAnAgency.verify(db.dataSource).intact())
                    .as("a resolver with agency keys would accept it: the CLI gives only the gateway's keys").isTrue();
            assertTampered(db, 11, Tampering.FORGED_SIGNATURE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void entries_appended_after_a_verification_are_verified_by_the_next(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = chainOf50(kind)) {
            AuditFixtures.write(db.dataSource, 7);

            assertThat(verifier.verify(db.dataSource).summary()).isEqualTo("intact: 57 entries, 6 checkpoints");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void a_batch_chained_just_after_the_head_was_read_is_not_taken_for_a_truncation(TestDatabases.Kind kind)
            throws Exception {
        try (AuditDatabase db = chainOf50(kind); Connection c = db.dataSource.getConnection();
             Connection sequencer = db.dataSource.getConnection()) {
            AuditChain chain = AuditFixtures.chain(java.time.Clock.systemUTC());
            chain.append(sequencer, AuditFixtures.event(51)); // chained with a checkpoint (the last one is at 41)
            Connection chainingOnceTheHeadIsRead = afterHeadRead(c, () -> AuditFixtures.chainAll(chain, sequencer));

            VerificationResult result = verifier.verify(chainingOnceTheHeadIsRead);

            assertThat(result.summary()).isEqualTo("intact: 50 entries, 5 checkpoints");
            assertThat(verifier.verify(db.dataSource).summary()).isEqualTo("intact: 51 entries, 6 checkpoints");
        }
    }

    private interface SqlAction {
        void run() throws SQLException;
    }

    /** The connection, running {@code action} once, on another connection, as soon as the head has been read. */
    private static Connection afterHeadRead(Connection c, SqlAction action) {
        boolean[] done = {false};
        return (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    Object result = invoke(method, c, args);
                    if (method.getName().equals("prepareStatement") && ((String) args[0]).contains("FROM audit_head")
                            && !done[0]) {
                        PreparedStatement head = (PreparedStatement) result;
                        return java.lang.reflect.Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                                new Class<?>[] {PreparedStatement.class}, (p, m, a) -> {
                                    Object r = invoke(m, head, a);
                                    if (m.getName().equals("close") && !done[0]) {
                                        done[0] = true;
                                        action.run();
                                    }
                                    return r;
                                });
                    }
                    return result;
                });
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void every_checkpoint_deleted_is_found(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = chainOf50(kind)) {
            db.sql("DELETE FROM audit_checkpoint");

            VerificationResult result = assertTampered(db, 41, Tampering.DELETED_CHECKPOINT);
            assertThat(result.detail()).contains("last checkpoint at seq 41, which is missing");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void a_checkpoint_deleted_in_the_middle_is_found(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = chainOf50(kind)) {
            db.sql("DELETE FROM audit_checkpoint WHERE seq = 21");

            VerificationResult result = verifier.verify(db.dataSource);
            assertThat(result.intact()).as("tampering must be detected").isFalse();
            assertThat(result.tampering()).as(result.summary()).isEqualTo(Tampering.DELETED_CHECKPOINT);
            assertThat(result.detail()).contains("counts 5 checkpoints up to seq 41 but 4 are there");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void the_head_cannot_be_made_to_count_fewer_checkpoints(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = chainOf50(kind)) {
            db.sql("DELETE FROM audit_checkpoint WHERE seq >= 31",
                    "UPDATE audit_head SET checkpoint_count = 3, checkpoint_seq = 21");

            assertTampered(db, 50, Tampering.FORGED_SIGNATURE);

            db.sql("UPDATE audit_head SET checkpoint_count = NULL"); // posing as a head signed before the commitment
            assertTampered(db, 50, Tampering.FORGED_SIGNATURE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void entries_committed_but_not_chained_are_reported_with_their_age_not_as_tampering(TestDatabases.Kind kind)
            throws Exception {
        try (AuditDatabase db = chainOf50(kind); Connection c = db.dataSource.getConnection()) {
            AuditChain chain = AuditFixtures.chain(java.time.Clock.systemUTC());
            AuditChain.Appended first = chain.append(c, AuditFixtures.event(51));
            chain.append(c, AuditFixtures.event(52));
            java.time.Clock later = java.time.Clock.fixed(first.at().toInstant().plusSeconds(12), java.time.ZoneOffset.UTC);

            VerificationResult result = new AuditVerifier(AuditDatabase.GATEWAY_KEYS, later).verify(db.dataSource);

            assertThat(result.summary()).isEqualTo("intact: 50 entries, 5 checkpoints");
            assertThat(result.unchained()).isEqualTo(2);
            assertThat(result.oldestUnchained()).isEqualTo(java.time.Duration.ofSeconds(12));
            assertThat(result.unchainedSummary(AuditChain.overdueAfter(java.time.Duration.ofSeconds(1))))
                    .startsWith("unchained: 2 entries, the oldest 12.0 s old (overdue: longer than 7.0 s");
            assertThat(result.unchainedSummary(java.time.Duration.ofSeconds(30)))
                    .isEqualTo("unchained: 2 entries, the oldest 12.0 s old");

            AuditFixtures.chainAll(chain, c);
            VerificationResult chained = verifier.verify(db.dataSource);
            assertThat(chained.summary()).isEqualTo("intact: 52 entries, 6 checkpoints");
            assertThat(chained.unchainedSummary(java.time.Duration.ofSeconds(1))).isEqualTo("unchained: 0 entries");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void an_entry_deleted_before_it_was_chained_leaves_no_trace_in_the_chain(TestDatabases.Kind kind) throws Exception {
        // the documented limit of the bounded delay (docs/architecture.md D12): nothing signed covers it yet
        try (AuditDatabase db = chainOf50(kind); Connection c = db.dataSource.getConnection()) {
            AuditChain chain = AuditFixtures.chain(java.time.Clock.systemUTC());
            chain.append(c, AuditFixtures.event(51));
            db.sql("DELETE FROM audit_pending");

            assertThat(AuditFixtures.chainAll(chain, c)).isEmpty();
            assertThat(verifier.verify(db.dataSource).summary()).isEqualTo("intact: 50 entries, 5 checkpoints");
        }
    }

    private static AuditDatabase chainOf50(TestDatabases.Kind kind) throws SQLException {
        AuditDatabase db = AuditDatabase.fresh(kind);
        AuditFixtures.write(db.dataSource, 50);
        return db;
    }

    private VerificationResult assertTampered(AuditDatabase db, long seq, Tampering kind) throws SQLException {
        VerificationResult result = verifier.verify(db.dataSource);
        assertThat(result.intact()).as("tampering must be detected").isFalse();
        assertThat(result.tampering()).as(result.summary()).isEqualTo(kind);
        assertThat(result.firstBadSeq()).as(result.summary()).isEqualTo(seq);
        assertThat(result.summary()).startsWith("tampered at seq " + seq + " (");
        return result;
    }

    static AuditEntry entry(AuditDatabase db, long seq) throws SQLException {
        try (Connection c = db.dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + AuditRows.ENTRY_COLUMNS + " FROM audit_entry WHERE seq = ?")) {
            s.setLong(1, seq);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return AuditRows.entry(rs);
            }
        }
    }

    private static void insert(AuditDatabase db, AuditEntry e) throws SQLException {
        try (Connection c = db.dataSource.getConnection()) {
            AuditRows.insert(c, e);
        }
    }

    /** Every column but seq of one row set to the values of another: swapped contents, as an UPDATE does it. */
    private static void update(AuditDatabase db, AuditEntry e) throws SQLException {
        try (Connection c = db.dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE audit_entry SET at = ?, actor = ?, action = ?, message_id = ?, "
                     + "referral_id = ?, subject_ref = ?, data_categories = ?, basis = ?, outcome = ?, code = ?, "
                     + "prev_hash = ?, entry_hash = ? WHERE seq = ?")) {
            s.setObject(1, e.at());
            s.setString(2, e.actor());
            s.setString(3, e.action());
            s.setString(4, e.messageId());
            s.setString(5, e.referralId());
            s.setString(6, e.subjectRef());
            s.setString(7, e.dataCategories());
            s.setString(8, e.basis());
            s.setString(9, e.outcome());
            s.setString(10, e.code());
            s.setString(11, e.prevHash());
            s.setString(12, e.entryHash());
            s.setLong(13, e.seq());
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    private static void swap(AuditDatabase db, long a, long b) throws SQLException {
        AuditEntry first = entry(db, a);
        AuditEntry second = entry(db, b);
        update(db, withSeq(second, a));
        update(db, withSeq(first, b));
    }

    private static AuditEntry withSeq(AuditEntry e, long seq) {
        return new AuditEntry(seq, e.at(), e.actor(), e.action(), e.messageId(), e.referralId(), e.subjectRef(),
                e.dataCategories(), e.basis(), e.outcome(), e.code(), e.prevHash(), e.entryHash());
    }
}
