package jp.tsunagi.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagi.gateway.store.Database;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** admin user add, list, disable and reset-password run in-process on an H2 file database. */
class AdminUserCommandsTest {
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path dir;

    private Path conf;
    private Path keys;
    private String url;

    @BeforeEach
    void gatewayWithKeysAndADatabase() throws Exception {
        conf = Files.createDirectories(dir.resolve("conf"));
        keys = dir.resolve("keys");
        url = "jdbc:h2:file:" + dir.resolve("data/tsunagi").toAbsolutePath();
        Files.writeString(conf.resolve("agencies.yaml"), CliRun.twoAgencies(keys), StandardCharsets.UTF_8);
        Files.writeString(conf.resolve("gateway.properties"), "tsunagi.db.url=" + url + "\ntsunagi.keys.dir=" + keys + "\n");
        assertThat(CliRun.run("keys", "init", "--dir", keys.toString(), "--conf", conf.toString()).exit()).isZero();
        Database.open(url).close();
    }

    @Test
    void an_added_account_is_listed_with_its_role_and_its_creation_is_audited() throws Exception {
        CliRun add = withStdin(PASSWORD + "\n", "admin", "user", "add", "suzuki", "--role", "auditor", "--password-stdin",
                "--conf", conf.toString(), "--actor", "yamada");
        CliRun list = CliRun.run("admin", "user", "list", "--conf", conf.toString());

        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).isEqualTo("added suzuki (auditor, 監査者)\n");
        assertThat(list.out()).startsWith("suzuki\tauditor\tactive\tpassword-only\tnever");
        assertThat(list.out()).doesNotContain(PASSWORD);
        assertThat(auditEntries()).containsExactly("yamada ACCOUNT_CREATED account:suzuki");
        assertThat(storedHash("suzuki")).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    }

    @Test
    void with_totp_the_secret_is_printed_once() {
        CliRun add = withStdin(PASSWORD + "\n", "admin", "user", "add", "sato", "--role", "viewer", "--password-stdin",
                "--totp", "--conf", conf.toString());

        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).contains("TOTP secret: ").contains("otpauth://totp/Tsunagi:sato?secret=");
        assertThat(CliRun.run("admin", "user", "list", "--conf", conf.toString()).out()).contains("sato\tviewer\tactive\ttotp");
    }

    @Test
    void disable_and_reset_password_change_the_account_and_are_audited() throws Exception {
        withStdin(PASSWORD + "\n", "admin", "user", "add", "suzuki", "--role", "operator", "--password-stdin", "--conf",
                conf.toString(), "--actor", "yamada");

        CliRun disable = CliRun.run("admin", "user", "disable", "suzuki", "--conf", conf.toString(), "--actor", "yamada");
        String listed = CliRun.run("admin", "user", "list", "--conf", conf.toString()).out();
        CliRun reset = withStdin("another long passphrase\n", "admin", "user", "reset-password", "suzuki",
                "--password-stdin", "--conf", conf.toString(), "--actor", "yamada");

        assertThat(disable.exit()).as(disable.err()).isZero();
        assertThat(listed).contains("suzuki\toperator\tdisabled");
        assertThat(reset.exit()).as(reset.err()).isZero();
        assertThat(CliRun.run("admin", "user", "list", "--conf", conf.toString()).out()).contains("suzuki\toperator\tactive");
        assertThat(auditEntries()).containsExactly("yamada ACCOUNT_CREATED account:suzuki",
                "yamada ACCOUNT_DISABLED account:suzuki", "yamada ACCOUNT_PASSWORD_RESET account:suzuki");
    }

    @Test
    void a_bad_role_a_short_password_a_taken_name_or_an_unknown_account_exit_2_and_change_nothing() throws Exception {
        CliRun role = withStdin(PASSWORD + "\n", "admin", "user", "add", "suzuki", "--role", "root", "--password-stdin",
                "--conf", conf.toString());
        CliRun shortPassword = withStdin("short\n", "admin", "user", "add", "suzuki", "--role", "auditor",
                "--password-stdin", "--conf", conf.toString());
        CliRun fullName = withStdin(PASSWORD + "\n", "admin", "user", "add", "鈴木 一郎", "--role", "auditor",
                "--password-stdin", "--conf", conf.toString());
        CliRun unknown = CliRun.run("admin", "user", "disable", "nobody", "--conf", conf.toString());
        withStdin(PASSWORD + "\n", "admin", "user", "add", "suzuki", "--role", "auditor", "--password-stdin", "--conf",
                conf.toString());
        CliRun taken = withStdin(PASSWORD + "\n", "admin", "user", "add", "suzuki", "--role", "viewer",
                "--password-stdin", "--conf", conf.toString());

        assertThat(role.exit()).isEqualTo(2);
        assertThat(role.err()).contains("administrator, auditor, operator, viewer");
        assertThat(shortPassword.exit()).isEqualTo(2);
        assertThat(shortPassword.err()).contains("at least 12 characters");
        assertThat(fullName.exit()).isEqualTo(2);
        assertThat(fullName.err()).doesNotContain("鈴木");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(taken.exit()).isEqualTo(2);
        assertThat(CliRun.run("admin", "user", "list", "--conf", conf.toString()).out()).isEqualTo(
                "suzuki\tauditor\tactive\tpassword-only\tnever\n");
        assertThat(auditEntries()).hasSize(1);
    }

    @ParameterizedTest(name = "tsunagi {0} --help")
    @ValueSource(strings = {"admin", "admin user", "admin user add", "admin user list", "admin user disable",
            "admin user reset-password"})
    void every_admin_command_answers_help(String command) {
        StringWriter help = new StringWriter();
        CommandLine commandLine = new CommandLine(new TsunagiCli());
        commandLine.setOut(new PrintWriter(help));

        assertThat(commandLine.execute((command + " --help").split(" "))).isZero();
        assertThat(help.toString()).startsWith("Usage: tsunagi " + command).contains("-h, --help");
    }

    private static CliRun withStdin(String input, String... args) {
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            return CliRun.run(args);
        } finally {
            System.setIn(stdin);
        }
    }

    private List<String> auditEntries() throws Exception {
        List<String> entries = new ArrayList<>();
        try (Database db = Database.open(url); Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT actor, action, code FROM audit_entry ORDER BY seq");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                entries.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
            }
        }
        return entries;
    }

    private String storedHash(String name) throws Exception {
        try (Database db = Database.open(url); Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT password_hash FROM console_account WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
