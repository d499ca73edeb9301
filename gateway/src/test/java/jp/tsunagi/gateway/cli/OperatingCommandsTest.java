package jp.tsunagi.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.operations.DeadLetterScenario;
import jp.tsunagi.gateway.store.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** referral show, outbox list and deadletter requeue|cancel against a running gateway, as an operator types them. */
class OperatingCommandsTest {
    @TempDir
    Path dir;

    @Test
    void an_administrator_finds_a_dead_letter_requeues_it_and_the_referral_leaves_failed_with_the_sender_told() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, TestDatabases.Kind.H2)) {
            DeadLetterScenario s = new DeadLetterScenario(g);

            CliRun dead = run("outbox", "list", "--status", "dead");
            assertThat(dead.exit()).as(dead.err()).isZero();
            assertThat(dead.out().lines().map(line -> line.split("\t")[0]))
                    .contains(Long.toString(s.underConsent), Long.toString(s.underMeeting));
            assertThat(dead.out().lines().filter(line -> line.startsWith(s.underMeeting + "\t")).findFirst().orElseThrow())
                    .contains("\tdead\ttsunagi-welfare\t" + DeadLetterScenario.UNDER_MEETING + "\t").contains("\thttp.404\t");

            CliRun failed = run("referral", "show", DeadLetterScenario.UNDER_MEETING, "--actor", "yamada");
            assertThat(failed.exit()).as(failed.err()).isZero();
            assertThat(failed.out()).contains("tsunagi-hub -> tsunagi-welfare  FAILED").contains("FAILED  by gateway  reason DELIVERY_FAILED")
                    .contains("copies to the recipient:").contains("notices to the sender:");

            g.recipients.answerWith("tsunagi-welfare", 200);
            CliRun requeue = run("deadletter", "requeue", Long.toString(s.underMeeting), "--reason",
                    "welfare office endpoint fixed (ticket 118)", "--actor", "yamada");
            assertThat(requeue.exit()).as(requeue.err()).isZero();
            assertThat(requeue.out()).startsWith("requeued " + s.underMeeting);

            // the running gateway's workers pick it up; the referral leaves FAILED and the hub is told 受信
            g.awaitCopy("tsunagi-hub", m -> DeadLetterScenario.isNotice(m, DeadLetterScenario.UNDER_MEETING, "RECEIVED"));
            s.awaitNumber("SELECT COUNT(*) FROM referral WHERE referral_id = '" + DeadLetterScenario.UNDER_MEETING
                    + "' AND status = 'RECEIVED'", n -> n == 1);
            assertThat(s.history(DeadLetterScenario.UNDER_MEETING)).containsExactly("SENT", "FAILED", "RECEIVED");
            assertThat(run("referral", "show", DeadLetterScenario.UNDER_MEETING).out())
                    .contains("RECEIVED  by gateway");

            assertThat(s.strings("SELECT action || ':' || outcome || ':' || actor FROM audit_entry WHERE action IN"
                    + " ('DEAD_LETTER_REQUEUED', 'REFERRAL_VIEWED') ORDER BY seq")).containsExactly(
                    "REFERRAL_VIEWED:viewed:yamada", "DEAD_LETTER_REQUEUED:requeued:yamada",
                    "REFERRAL_VIEWED:viewed:" + System.getProperty("user.name"));
            assertThat(s.strings("SELECT reason FROM dead_letter_request")).containsExactly("welfare office endpoint fixed (ticket 118)");
            assertThat(run("audit", "verify").exit()).isZero();
        }
    }

    @Test
    void a_requeue_after_the_consent_was_withdrawn_is_refused_with_the_code_and_a_cancel_tells_nobody() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, TestDatabases.Kind.H2)) {
            DeadLetterScenario s = new DeadLetterScenario(g);
            s.withdrawConsent();
            g.recipients.answerWith("tsunagi-welfare", 200);

            CliRun refused = run("deadletter", "requeue", Long.toString(s.underConsent), "--reason", "retry", "--actor", "yamada");

            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).contains("refused: consent.withdrawn");
            assertThat(s.number("SELECT COUNT(*) FROM outbox WHERE id = " + s.underConsent + " AND status = 'DEAD'")).isEqualTo(1);

            long failedNotices = s.noticesToHub(DeadLetterScenario.UNDER_CONSENT, "FAILED");
            CliRun cancel = run("deadletter", "cancel", Long.toString(s.underConsent), "--reason", "sent by post", "--actor", "yamada");
            assertThat(cancel.exit()).as(cancel.err()).isZero();
            assertThat(run("outbox", "list", "--status", "dead").out()).contains(s.underConsent + "\tcancelled\t");
            CliRun again = run("deadletter", "requeue", Long.toString(s.underConsent), "--reason", "retry", "--actor", "yamada");
            assertThat(again.exit()).isEqualTo(1);
            assertThat(again.err()).contains("refused: deadletter.cancelled");

            // nothing more is queued for the hub about it: no false notice
            assertThat(s.number("SELECT COUNT(*) FROM outbox WHERE referral_id = '" + DeadLetterScenario.UNDER_CONSENT
                    + "' AND recipient = 'tsunagi-hub' AND status <> 'DELIVERED'")).isZero();
            assertThat(s.noticesToHub(DeadLetterScenario.UNDER_CONSENT, "FAILED")).isEqualTo(failedNotices);
            assertThat(s.strings("SELECT status FROM referral WHERE referral_id = '" + DeadLetterScenario.UNDER_CONSENT + "'"))
                    .containsExactly("FAILED");
            assertThat(s.strings("SELECT outcome || ':' || code FROM audit_entry WHERE action IN ('DEAD_LETTER_REQUEUED',"
                    + " 'DEAD_LETTER_CANCELLED') ORDER BY seq")).hasSize(3).first().isEqualTo("refused:consent.withdrawn");
            assertThat(run("audit", "verify").exit()).isZero();
        }
    }

    @Test
    void unknown_ids_and_missing_reasons_are_answered_with_their_exit_codes() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, TestDatabases.Kind.H2)) {
            CliRun unknown = run("referral", "show", "REF-NO-SUCH");
            assertThat(unknown.exit()).isEqualTo(1);
            assertThat(unknown.err()).contains("no referral REF-NO-SUCH");

            CliRun noSuchCopy = run("deadletter", "requeue", "999999", "--reason", "test");
            assertThat(noSuchCopy.exit()).isEqualTo(1);
            assertThat(noSuchCopy.err()).contains("deadletter.unknown");

            assertThat(run("deadletter", "cancel", "1").exit()).as("--reason is required").isEqualTo(2);
            CliRun blank = run("deadletter", "cancel", "1", "--reason", " ");
            assertThat(blank.exit()).isEqualTo(2);
            assertThat(blank.err()).contains("a reason is required");
            assertThat(run("outbox", "list", "--status", "lost").exit()).isEqualTo(2);
            assertThat(run("outbox", "list").exit()).isZero();
        }
    }

    @Test
    void each_command_explains_itself() {
        for (String[] command : new String[][] {{"referral", "show"}, {"outbox", "list"}, {"deadletter", "requeue"},
                {"deadletter", "cancel"}}) {
            CliRun help = CliRun.run(command[0], command[1], "--help");
            assertThat(help.exit()).isZero();
            assertThat(help.out()).contains("--conf").contains("--db").contains("--actor").contains("Exit codes:");
        }
        assertThat(CliRun.run("deadletter", "requeue", "--help").out()).contains("consent.withdrawn")
                .contains("recipient.suspended").contains("requeue-approval");
    }

    private CliRun run(String... args) throws Exception {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--conf";
        all[args.length + 1] = dir.resolve("conf").toString();
        assertThat(Files.isDirectory(dir.resolve("conf"))).isTrue();
        return CliRun.run(all);
    }
}
