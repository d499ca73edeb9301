package jp.tsunagi.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditEvent;
import jp.tsunagi.gateway.audit.CheckpointPolicy;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.store.Database;
import jp.tsunagi.schema.signature.Pem;
import jp.tsunagi.schema.signature.SigningKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's commands on a live system: audit, backup and restore while another process (the gateway) holds the
 * embedded H2 file, and keys list and rotate.
 */
class OperationsCommandsTest {
    @TempDir
    Path dir;

    private Path conf;
    private Path keys;
    private String url;
    private AuditChain chain;

    @BeforeEach
    void gatewayWithATrailOf5Entries() throws Exception {
        conf = Files.createDirectories(dir.resolve("conf"));
        keys = dir.resolve("keys");
        url = "jdbc:h2:file:" + dir.resolve("data/tsunagi").toAbsolutePath();
        Files.writeString(conf.resolve("agencies.yaml"), CliRun.twoAgencies(keys), StandardCharsets.UTF_8);
        assertThat(CliRun.run("keys", "init", "--dir", keys.toString(), "--conf", conf.toString()).exit()).isZero();
        chain = new AuditChain(new SigningKey("gateway#1", Pem.readPrivateKey(keys.resolve("gateway.key.pem"))),
                new CheckpointPolicy(10, Duration.ofHours(1)), Clock.systemUTC());
        append(5);
    }

    @Test
    void audit_verify_and_export_read_the_store_while_the_gateway_holds_the_h2_file() throws Exception {
        Process gateway = StoreHolder.start(url);
        try {
            CliRun verify = run("audit", "verify");
            CliRun export = run("audit", "export");

            assertThat(verify.err()).isEmpty();
            assertThat(verify.out()).startsWith("intact: 5 entries");
            assertThat(export.exit()).isZero();
            assertThat(export.out().lines()).as("the 5 entries and the export's own").hasSize(6);
        } finally {
            StoreHolder.stop(gateway);
        }
    }

    @Test
    void a_backup_taken_while_the_gateway_runs_restores_after_it_stopped_and_the_later_change_is_gone() throws Exception {
        Path backup = dir.resolve("backups/tsunagi.zip");
        Process gateway = StoreHolder.start(url);
        CliRun written;
        CliRun refused;
        try {
            written = run("backup", backup.toString());
            refused = run("restore", backup.toString());
        } finally {
            StoreHolder.stop(gateway);
        }
        append(3); // the change made after the backup
        assertThat(headSeq()).isEqualTo(9);

        CliRun restored = run("restore", backup.toString());

        assertThat(written.exit()).as(written.err()).isZero();
        assertThat(written.out()).isEqualTo("backup written to " + backup + "\n");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("is open (the gateway runs): stop the gateway, then restore");
        assertThat(restored.exit()).as(restored.err()).isZero();
        assertThat(restored.out()).startsWith("restored from " + backup + " (audit trail up to seq 6)");
        assertThat(headSeq()).as("the backup's 6 entries and the restore's own").isEqualTo(7);
        assertThat(lastAction()).isEqualTo(AuditAction.DATABASE_RESTORED.name());
        CliRun verify = run("audit", "verify");
        assertThat(verify.exit()).as(verify.out()).isZero();
        assertThat(verify.out()).startsWith("intact: 7 entries");
    }

    @Test
    void a_backup_never_overwrites_a_file() throws Exception {
        Path existing = Files.writeString(dir.resolve("old.zip"), "keep me");

        CliRun backup = run("backup", existing.toString());

        assertThat(backup.exit()).isEqualTo(2);
        assertThat(backup.err()).contains("exists already");
        assertThat(Files.readString(existing)).isEqualTo("keep me");
        assertThat(headSeq()).as("nothing recorded for a backup not taken").isEqualTo(5);
    }

    @Test
    void restore_of_a_file_that_is_no_backup_exits_2_and_leaves_the_database() throws Exception {
        Path notABackup = Files.writeString(dir.resolve("notes.zip"), "not a zip");

        CliRun restore = run("restore", notABackup.toString());

        assertThat(restore.exit()).isEqualTo(2);
        assertThat(restore.err()).contains("is not a backup written by 'tsunagi backup'");
        assertThat(headSeq()).isEqualTo(5);
    }

    @Test
    void backup_and_restore_on_postgresql_print_the_pg_dump_commands_and_exit_2_instead_of_pretending() {
        for (String command : new String[] {"backup", "restore"}) {
            CliRun run = CliRun.run(command, dir.resolve("x.zip").toString(), "--db", "jdbc:postgresql://127.0.0.1:5432/tsunagi",
                    "--conf", conf.toString(), "--keys", keys.toString());

            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.err()).contains("pg_dump --format=custom").contains("pg_restore --clean");
        }
    }

    @Test
    void keys_list_shows_every_key_with_its_algorithm_and_certificate_expiry() {
        CliRun list = run("keys", "list");

        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out().lines()).hasSize(3).allMatch(l -> l.matches(
                "(gateway|tsunagi-hub|tsunagi-tax)#1  \\S+  ES256 \\(P-256\\)  expires 20\\d\\d-\\d\\d-\\d\\d  current"));
    }

    @Test
    void keys_rotate_registers_a_new_key_first_and_keeps_the_old_one_accepted_for_the_grace_period() throws Exception {
        String before = Files.readString(keys.resolve("tsunagi-tax.key.pem"));

        CliRun rotate = run("keys", "rotate", "tsunagi-tax");

        assertThat(rotate.exit()).as(rotate.err()).isZero();
        assertThat(rotate.out()).startsWith("rotated tsunagi-tax: tsunagi-tax#2 signs from the next start; tsunagi-tax#1 accepted until ");
        assertThat(Files.readString(keys.resolve("tsunagi-tax.1.key.pem"))).as("the old key kept beside").isEqualTo(before);
        assertThat(keys.resolve("tsunagi-tax.2.pub.pem")).exists();
        AgencyDirectory agencies = AgencyDirectory.inConfDirectory(conf);
        var taxKeys = agencies.agency("tsunagi-tax").orElseThrow().keys();
        assertThat(taxKeys).extracting(k -> k.kid()).containsExactly("tsunagi-tax#2", "tsunagi-tax#1");
        Instant retires = taxKeys.get(1).retiresAt();
        assertThat(retires).isBetween(Instant.now().plus(Duration.ofDays(29)), Instant.now().plus(Duration.ofDays(31)));
        assertThat(agencies.keyResolver(Instant.now()).find("tsunagi-tax#1")).isPresent();
        assertThat(agencies.keyResolver(Instant.now()).find("tsunagi-tax#2")).isPresent();
        assertThat(agencies.keyResolver(retires.plusSeconds(1)).find("tsunagi-tax#1")).as("retired").isEmpty();
        assertThat(lastAction()).isEqualTo(AuditAction.KEY_ROTATED.name());
        assertThat(run("config", "check").out()).as("the key directory matches the registry").doesNotContain("tsunagi-tax.");
        assertThat(run("keys", "list").out()).contains("tsunagi-tax#2  tsunagi-tax  ES256 (P-256)  expires ")
                .containsPattern("tsunagi-tax#1  tsunagi-tax  ES256 \\(P-256\\)  expires \\S+  retiring until 20");
    }

    @Test
    void keys_rotate_of_an_unknown_agency_exits_2_and_changes_nothing() throws Exception {
        String registry = Files.readString(conf.resolve("agencies.yaml"));

        CliRun rotate = run("keys", "rotate", "tsunagi-nowhere");

        assertThat(rotate.exit()).isEqualTo(2);
        assertThat(rotate.err()).contains("unknown agency \"tsunagi-nowhere\"");
        assertThat(Files.readString(conf.resolve("agencies.yaml"))).isEqualTo(registry);
        assertThat(headSeq()).isEqualTo(5);
    }

    private CliRun run(String... args) {
        String[] all = new String[args.length + 6];
        System.arraycopy(args, 0, all, 0, args.length);
        String[] common = {"--db", url, "--conf", conf.toString(), "--keys", keys.toString()};
        if (args[0].equals("config")) {
            return CliRun.run(args[0], args[1], "--conf", conf.toString());
        }
        System.arraycopy(common, 0, all, args.length, common.length);
        return CliRun.run(all);
    }

    private void append(int entries) throws Exception {
        try (Database db = Database.open(url); Connection c = db.dataSource().getConnection()) {
            for (int i = 0; i < entries; i++) {
                chain.append(c, AuditEvent.of(AuditAction.DELIVERED, "tsunagi-tax").withOutcome("ok"));
            }
            chain.chainCommitted(db.dataSource()); // as the gateway's sequencer would within its bounded delay
        }
    }

    private long headSeq() throws Exception {
        return single("SELECT MAX(seq) FROM audit_entry");
    }

    private String lastAction() throws Exception {
        try (Database db = Database.open(url); Connection c = db.dataSource().getConnection();
             ResultSet rows = c.createStatement().executeQuery("SELECT action FROM audit_entry ORDER BY seq DESC LIMIT 1")) {
            rows.next();
            return rows.getString(1);
        }
    }

    private long single(String sql) throws Exception {
        try (Database db = Database.open(url); Connection c = db.dataSource().getConnection();
             ResultSet rows = c.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
