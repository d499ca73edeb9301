package jp.tsunagi.connectors.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ClientChannel;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.RequiredServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Hello Work's batch file exchange over SFTP (ハローワークのバッチ連携)")
class SftpAgencyServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Charset WINDOWS_31J = Charset.forName("windows-31j");
    /** 髙 and ① exist in Windows-31J but not in plain Shift_JIS. */
    private static final String FILE_NAME = "求職者連絡票_令和6年4月_髙橋①.csv";
    private static final byte[] CONTENT = "氏名,フリガナ,生年月日\r\n髙橋　一郎,ﾀｶﾊｼ ｲﾁﾛｳ,3470815\r\n".getBytes(WINDOWS_31J);

    @TempDir
    Path root;

    private SftpAgencyServer server;
    private SshClient client;

    @BeforeEach
    void startClient() {
        client = SshClient.setUpDefaultClient();
        // nothing from the ~/.ssh of whoever runs the tests
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.start();
    }

    @AfterEach
    void stop() {
        client.stop();
        if (server != null) {
            server.close();
        }
    }

    private ClientSession login(String user, String password, PublicKey pinnedHostKey) throws IOException {
        client.setServerKeyVerifier(new RequiredServerKeyVerifier(pinnedHostKey));
        ClientSession session = client.connect(user, "127.0.0.1", server.port()).verify(TIMEOUT).getSession();
        try {
            session.addPasswordIdentity(password);
            session.auth().verify(TIMEOUT);
            return session;
        } catch (IOException | RuntimeException e) {
            session.close(true);
            throw e;
        }
    }

    private static List<String> list(SftpClient sftp, String dir) throws IOException {
        List<String> names = new ArrayList<>();
        for (SftpClient.DirEntry entry : sftp.readDir(dir)) {
            if (!entry.getFilename().startsWith(".")) {
                names.add(entry.getFilename());
            }
        }
        return names;
    }

    @Test
    void aClientUploadsListsDownloadsAndMovesAJapaneseFileThatTheLocalDirectoryShows() throws IOException {
        assumeTrue(Charset.forName(System.getProperty("sun.jnu.encoding")).newEncoder().canEncode(FILE_NAME),
                "the JVM's file-name encoding (sun.jnu.encoding, from the locale) cannot write Japanese names: run with LANG=C.UTF-8");
        server = SftpAgencyServer.start(root, 0, "hellowork", "batch-パスワード");

        try (ClientSession session = login("hellowork", "batch-パスワード", server.hostKey());
             SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            try (OutputStream out = sftp.write(FILE_NAME)) {
                out.write(CONTENT);
            }
            assertThat(Files.readAllBytes(root.resolve(FILE_NAME))).isEqualTo(CONTENT);
            assertThat(list(sftp, "/")).containsExactly(FILE_NAME);

            byte[] downloaded;
            try (InputStream in = sftp.read(FILE_NAME)) {
                downloaded = in.readAllBytes();
            }
            assertThat(downloaded).isEqualTo(CONTENT);
            assertThat(new String(downloaded, WINDOWS_31J)).contains("髙橋　一郎,ﾀｶﾊｼ ｲﾁﾛｳ");

            sftp.mkdir("done");
            sftp.rename(FILE_NAME, "done/" + FILE_NAME, SftpClient.CopyMode.Atomic);

            assertThat(list(sftp, "/done")).containsExactly(FILE_NAME);
            assertThat(list(sftp, "/")).containsExactly("done");
        }
        assertThat(root.resolve(FILE_NAME)).doesNotExist();
        assertThat(Files.readAllBytes(root.resolve("done").resolve(FILE_NAME))).isEqualTo(CONTENT);
    }

    @Test
    void aWrongPasswordIsRefused() throws IOException {
        server = SftpAgencyServer.start(root, 0, "hellowork", "right");

        assertThatThrownBy(() -> login("hellowork", "wrong", server.hostKey()).close())
                .isInstanceOf(SshException.class).hasMessageContaining("No more authentication methods");
        assertThatThrownBy(() -> login("someone-else", "right", server.hostKey()).close())
                .isInstanceOf(SshException.class).hasMessageContaining("No more authentication methods");
        login("hellowork", "right", server.hostKey()).close();
    }

    /** Opens the channel asking for a reply to its request, and waits until the server closes it. */
    private static Set<ClientChannelEvent> refusal(ClientChannel channel) throws IOException {
        try (channel) {
            channel.open().verify(TIMEOUT);
            return channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED, ClientChannelEvent.EXIT_STATUS), TIMEOUT);
        }
    }

    @Test
    void thereIsNoShellOrCommandExecution() throws IOException {
        server = SftpAgencyServer.start(root, 0, "hellowork", "pw");

        try (ClientSession session = login("hellowork", "pw", server.hostKey())) {
            // without a reply asked for, a refused request would just leave the channel open
            CoreModuleProperties.REQUEST_EXEC_REPLY.set(session, true);
            CoreModuleProperties.REQUEST_SHELL_REPLY.set(session, true);

            assertThat(refusal(session.createExecChannel("touch pwned")))
                    .contains(ClientChannelEvent.CLOSED).doesNotContain(ClientChannelEvent.EXIT_STATUS, ClientChannelEvent.TIMEOUT);
            assertThat(refusal(session.createShellChannel()))
                    .contains(ClientChannelEvent.CLOSED).doesNotContain(ClientChannelEvent.EXIT_STATUS, ClientChannelEvent.TIMEOUT);
        }
        assertThat(root.resolve("pwned")).doesNotExist();
    }

    @Test
    void theClientIsConfinedToTheRootDirectory() throws IOException {
        Files.writeString(root.resolve("outside.txt"), "not for Hello Work");
        server = SftpAgencyServer.start(root.resolve("hellowork"), 0, "hellowork", "pw");

        try (ClientSession session = login("hellowork", "pw", server.hostKey());
             SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            assertThat(sftp.canonicalPath("..")).isEqualTo("/");
            assertThat(list(sftp, "/..")).isEmpty();
            assertThatThrownBy(() -> sftp.read("../outside.txt").close()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aHostKeyKeptInAFileIsTheSameAfterARestart() throws IOException {
        Path keyFile = root.resolve("keys/host-key");
        PublicKey first;
        try (SftpAgencyServer one = SftpAgencyServer.start(root.resolve("files"), 0, "hellowork", "pw", keyFile)) {
            first = one.hostKey();
        }
        assertThat(keyFile).exists();

        server = SftpAgencyServer.start(root.resolve("files"), 0, "hellowork", "pw", keyFile);

        assertThat(server.hostKey()).isEqualTo(first);
        assertThat(server.hostKeyFingerprint()).startsWith("SHA256:");
        login("hellowork", "pw", first).close();
    }

    @Test
    void aClientPinningAnotherHostKeyDoesNotConnect() throws IOException {
        server = SftpAgencyServer.start(root, 0, "hellowork", "pw");
        PublicKey other;
        try (SftpAgencyServer impostor = SftpAgencyServer.start(root, 0, "hellowork", "pw")) {
            other = impostor.hostKey();
        }

        assertThatThrownBy(() -> login("hellowork", "pw", other).close())
                .isInstanceOf(SshException.class).hasMessageContaining("Server key did not validate");
    }
}
