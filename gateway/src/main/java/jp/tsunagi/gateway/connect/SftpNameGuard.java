package jp.tsunagi.gateway.connect;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.component.file.remote.RemoteFileConsumer;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.apache.camel.component.file.remote.SftpOperations;
import org.apache.camel.support.DefaultPollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link FolderNameGuard}'s rule on an SFTP server (the {@code pollStrategy} of the tsunagi-sftp-source Kamelet):
 * before each poll, a file of the directory whose name the route cannot handle is renamed into {@code failed/} on the
 * server under a name of the gateway's making, with its result file beside it ({@code file.name_refused}), and
 * audited. Without it, a 250-byte name was read and its records taken in, but neither its result file nor its done/
 * or failed/ name fitted the server's 255-byte limit, so it was never answered or moved; a name with {@code *} made
 * Camel's client fail to fetch it and then every later poll of the link; a dot name was never answered.
 *
 * <p>It works through the consumer's own SFTP session (Camel's, connected if need be), so the agency's server sees
 * no second login. Camel keeps that session protected and turns a backslash in a name into a separator, so the guard
 * reaches the session by reflection and speaks to it directly, with {@code \}, {@code *} and {@code ?} escaped.
 */
public final class SftpNameGuard extends DefaultPollingConsumerPollStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(SftpNameGuard.class);
    private static final String SOURCE = "SFTP source";
    private static final Method CONNECT = method("connectIfNecessary");
    private static final Method OPERATIONS = method("getOperations");
    private static final Field CHANNEL = channelField();

    private final Clock clock;
    private final FolderNameGuard.Report report;
    private final FolderNameGuard.StuckFiles stuck = new FolderNameGuard.StuckFiles();

    public SftpNameGuard(FolderNameGuard.Report report) {
        this(Clock.systemDefaultZone(), report);
    }

    SftpNameGuard(Clock clock, FolderNameGuard.Report report) {
        this.clock = clock;
        this.report = report;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        if (consumer instanceof RemoteFileConsumer<?> remote && endpoint instanceof SftpEndpoint sftp) {
            try {
                CONNECT.invoke(remote);
            } catch (InvocationTargetException e) {
                // the poll itself connects again and reports a server it cannot reach (health: connectors)
                return super.begin(consumer, endpoint);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            try {
                ChannelSftp channel = (ChannelSftp) CHANNEL.get((SftpOperations) OPERATIONS.invoke(remote));
                sweep(channel, sftp.getConfiguration().getDirectory());
            } catch (SftpException e) {
                if (e.id != ChannelSftp.SSH_FX_NO_SUCH_FILE) { // no directory yet: the poll creates it
                    LOG.warn("{}: could not check the file names of a directory (SFTP status {})", SOURCE, e.id);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.warn("{}: could not check the file names of a directory ({})", SOURCE, rootCause(e).getClass().getSimpleName());
            }
        }
        return super.begin(consumer, endpoint);
    }

    private void sweep(ChannelSftp channel, String directory) throws SftpException {
        String folder = channel.getHome() + (directory == null || directory.isEmpty() ? "" : "/" + directory);
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<ChannelSftp.LsEntry> entries = List.copyOf(channel.ls(escaped(folder)));
        for (ChannelSftp.LsEntry entry : entries) {
            SftpATTRS attributes = entry.getAttrs();
            if (!attributes.isReg()) {
                continue;
            }
            String name = entry.getFilename();
            String why = FolderNameGuard.refusal(name, Instant.ofEpochSecond(attributes.getMTime()), now);
            if (why != null) {
                quarantine(channel, folder, name, why, now);
            }
        }
    }

    private void quarantine(ChannelSftp channel, String folder, String name, String why, Instant now) {
        String renamed = FolderNameGuard.renamed(now, name);
        String failed = folder + "/failed";
        try {
            try {
                channel.stat(escaped(failed));
            } catch (SftpException missing) {
                channel.mkdir(escaped(failed));
            }
            channel.rename(escaped(folder + "/" + name), escaped(failed + "/" + renamed));
        } catch (SftpException | RuntimeException e) {
            stuck.report(name, report, SOURCE, e);
            return;
        }
        stuck.moved(name);
        FolderNameGuard.refused(report, SOURCE, renamed);
        try {
            channel.put(new ByteArrayInputStream(FolderNameGuard.result(renamed, why)), escaped(failed + "/" + renamed + ".result.csv"));
        } catch (SftpException | RuntimeException e) {
            FolderNameGuard.unanswered(SOURCE, renamed, e);
        }
    }

    /** The path as JSch reads it: a backslash escapes, {@code *} and {@code ?} are patterns otherwise. */
    static String escaped(String path) {
        return path.replaceAll("([\\\\*?])", "\\\\$1");
    }

    private static Method method(String name) {
        try {
            Method method = RemoteFileConsumer.class.getDeclaredMethod(name);
            method.setAccessible(true);
            return method;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("Camel's RemoteFileConsumer has no " + name + "()", e);
        }
    }

    private static Field channelField() {
        try {
            Field field = SftpOperations.class.getDeclaredField("channel");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("Camel's SftpOperations has no channel", e);
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
