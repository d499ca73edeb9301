package jp.tsunagi.connectors.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.RejectAllPublickeyAuthenticator;
import org.apache.sshd.server.channel.ChannelSessionFactory;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A stand-in for an agency system that exchanges batch files over SFTP, as Hello Work's batch link
 * (ハローワークのバッチ連携) does: an embedded SFTP server (Apache MINA SSHD) whose file system is a local directory,
 * so tests and the demo see every file a client uploads, renames or deletes.
 *
 * <p>It listens on 127.0.0.1 only, accepts one user with a password, and offers nothing but the SFTP subsystem: no
 * shell, no exec, no port forwarding, no public-key or keyboard-interactive login. The client is confined to the
 * root directory, which it sees as {@code /}.
 */
public final class SftpAgencyServer implements AutoCloseable {
    private final SshServer sshd;
    private final Path root;
    private final String username;
    private final PublicKey hostKey;

    private SftpAgencyServer(SshServer sshd, Path root, String username, PublicKey hostKey) {
        this.sshd = sshd;
        this.root = root;
        this.username = username;
        this.hostKey = hostKey;
    }

    /** Starts with a host key generated in memory: a new key on every start. */
    public static SftpAgencyServer start(Path root, int port, String username, String password) throws IOException {
        return start(root, port, username, password, null);
    }

    /**
     * Starts on 127.0.0.1:port (0 for a free port), serving root (created if missing) to username/password.
     *
     * @param hostKeyFile where the host key is kept (OpenSSH format, created on first start and reused after, so
     *                    clients that pinned it keep trusting it), or null for a key generated in memory
     */
    public static SftpAgencyServer start(Path root, int port, String username, String password, Path hostKeyFile)
            throws IOException {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Path home = Files.createDirectories(root.toAbsolutePath().normalize());
        byte[] expected = password.getBytes(StandardCharsets.UTF_8);

        SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider();
        if (hostKeyFile != null) {
            Path keyFile = hostKeyFile.toAbsolutePath().normalize();
            Files.createDirectories(keyFile.getParent());
            keys.setPath(keyFile);
        }
        PublicKey hostKey = firstPublicKey(keys);

        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(port);
        sshd.setKeyPairProvider(keys);
        sshd.setPasswordAuthenticator((user, offered, session) -> username.equals(user)
                & MessageDigest.isEqual(expected, offered.getBytes(StandardCharsets.UTF_8)));
        // the defaults would also accept keys from ~/.ssh/authorized_keys of whoever runs the simulator
        sshd.setPublickeyAuthenticator(RejectAllPublickeyAuthenticator.INSTANCE);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setHostBasedAuthenticator(null);
        sshd.setGSSAuthenticator(null);
        // session channels only (no direct-tcpip), no shell or exec, SFTP as the only subsystem
        sshd.setChannelFactories(List.of(ChannelSessionFactory.INSTANCE));
        sshd.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        sshd.setShellFactory(null);
        sshd.setCommandFactory(null);
        sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        sshd.setFileSystemFactory(new VirtualFileSystemFactory(home));
        sshd.start();
        return new SftpAgencyServer(sshd, home, username, hostKey);
    }

    private static PublicKey firstPublicKey(SimpleGeneratorHostKeyProvider keys) throws IOException {
        Iterator<KeyPair> pairs = keys.loadKeys(null).iterator();
        if (!pairs.hasNext()) {
            throw new IOException("no host key could be loaded or generated");
        }
        return pairs.next().getPublic();
    }

    /** The port listened on, the free one chosen when started with 0. */
    public int port() {
        return sshd.getPort();
    }

    /** The local directory clients see as {@code /}. */
    public Path root() {
        return root;
    }

    public String username() {
        return username;
    }

    /** The host key clients should pin. */
    public PublicKey hostKey() {
        return hostKey;
    }

    /** The line of a known_hosts file that pins this server's host key for a client that connects to host:port. */
    public String knownHostsLine(String host) {
        return "[" + host + "]:" + port() + " " + PublicKeyEntry.toString(hostKey);
    }

    /** The host key's fingerprint as OpenSSH prints it ({@code SHA256:...}), for a person to compare. */
    public String hostKeyFingerprint() {
        return KeyUtils.getFingerPrint(hostKey);
    }

    @Override
    public void close() {
        try {
            sshd.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
