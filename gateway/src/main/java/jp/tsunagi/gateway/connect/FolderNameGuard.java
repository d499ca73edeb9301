package jp.tsunagi.gateway.connect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jp.tsunagi.connectors.text.FixedWidthText;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.component.file.FileEndpoint;
import org.apache.camel.support.DefaultPollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before each poll of a folder source (the {@code pollStrategy} of the tsunagi-folder-source Kamelet): a file whose
 * name the folder route cannot handle is moved to {@code failed/} under a name of the gateway's making, with a result
 * file ({@code file.name_refused}), so that a name is never a reason to loop. A 250-character name made Camel's lock
 * file name too long (a stack trace every poll, the file never moved); a line break or a leading dot left a file in
 * place unanswered; Camel reads a backslash as a separator and SFTP reads {@code *} and {@code ?} as patterns. The refused name is never logged, audited or kept: it may hold a person's name.
 *
 * <p>This class owns the rule (which names are refused, what the file is renamed to, what its result says) for every
 * file source; {@link SftpNameGuard} applies it on an SFTP server. Each refusal is audited ({@link Report}); a file
 * that cannot even be moved is left where it is (quarantined in place), audited once and not retried in a loop.
 */
public final class FolderNameGuard extends DefaultPollingConsumerPollStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(FolderNameGuard.class);
    /** The longest name (UTF-8 bytes) that leaves room for the lock suffix, the done/ time stamp and .result.csv. */
    static final int MAX_NAME_BYTES = 200;
    /** A dot name is a file still being written (written, then renamed); unchanged this long, it was abandoned. */
    static final Duration ABANDONED_DOT_FILE = Duration.ofMinutes(10);
    static final String CODE = "file.name_refused";
    /** The audit outcome of a refused file that could not be moved: it stays where it is, named by its digest. */
    static final String LEFT_IN_PLACE = "left_in_place:";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmssSSS").withZone(ZoneId.systemDefault());

    /** Told of each refused file (the audit): {@code failed/<generated name>}, or {@link #LEFT_IN_PLACE} and the digest. */
    @FunctionalInterface
    public interface Report {
        void refused(String code, String outcome);
    }

    private final Clock clock;
    private final Report report;
    private final StuckFiles stuck = new StuckFiles();

    public FolderNameGuard(Report report) {
        this(Clock.systemDefaultZone(), report);
    }

    FolderNameGuard(Clock clock, Report report) {
        this.clock = clock;
        this.report = report;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        if (endpoint instanceof FileEndpoint file) {
            sweep(file.getFile().toPath());
        }
        return super.begin(consumer, endpoint);
    }

    /** Moves every file of the folder whose name cannot be handled to failed/, with its result file. */
    void sweep(Path folder) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry)) {
                    String name = entry.getFileName().toString();
                    String why = refusal(name, Files.getLastModifiedTime(entry).toInstant(), clock.instant());
                    if (why != null) {
                        quarantine(folder, entry, name, why);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("folder source: could not check the file names of a folder ({})", e.getClass().getSimpleName());
        }
    }

    private void quarantine(Path folder, Path entry, String name, String why) {
        String renamed = renamed(clock.instant(), name);
        Path failed;
        try {
            failed = Files.createDirectories(folder.resolve("failed"));
            Files.move(entry, failed.resolve(renamed), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            stuck.report(name, report, "folder source", e);
            return;
        }
        stuck.moved(name);
        refused(report, "folder source", renamed);
        try {
            Files.write(failed.resolve(renamed + ".result.csv"), result(renamed, why));
        } catch (IOException | RuntimeException e) {
            unanswered("folder source", renamed, e);
        }
    }

    /** Why a file of this name cannot be handled (modified at that time, seen now), or null. */
    static String refusal(String name, Instant modified, Instant now) {
        if (name.endsWith(".camelLock")) {
            return null;
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return "the file name is longer than " + MAX_NAME_BYTES + " bytes: shorten it and drop the file again";
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            return "the file name holds a line break or another control character: rename it and drop the file again";
        }
        if (name.chars().anyMatch(c -> c == '\\' || c == '*' || c == '?')) {
            return "the file name holds \\, * or ?, which file transfer reads as a folder separator or a pattern:"
                    + " rename it and drop the file again";
        }
        if (name.startsWith(".") && modified.plus(ABANDONED_DOT_FILE).isBefore(now)) {
            return "a name starting with a dot is a file still being written, and this one had not changed for "
                    + ABANDONED_DOT_FILE.toMinutes() + " minutes: write under a dot name, then rename it without the dot";
        }
        return null;
    }

    /** The name of the gateway's making a refused file gets in failed/: a time stamp and a digest of the name. */
    static String renamed(Instant now, String name) {
        return STAMP.format(now) + "-name-refused-" + digest(name);
    }

    /** The result file of a refused file (in the encoding of the agencies' files). */
    static byte[] result(String renamed, String why) {
        return new BatchResult(renamed, List.of(new BatchResult.Line(0, BatchResult.Status.REJECTED, null, null, CODE, why)))
                .toCsv(FixedWidthText.WINDOWS_31J);
    }

    /** Audits and logs a file moved to failed/ (by its new name only). */
    static void refused(Report report, String source, String renamed) {
        LOG.warn("{}: a file whose name cannot be handled was moved to failed/{} ({})", source, renamed, CODE);
        audit(report, "failed/" + renamed);
    }

    /** Logs a refused file moved to failed/ whose result file could not be written (the audit entry says where it is). */
    static void unanswered(String source, String renamed, Exception why) {
        LOG.warn("{}: the result file of failed/{} could not be written ({})", source, renamed, why.getClass().getSimpleName());
    }

    private static void audit(Report report, String outcome) {
        try {
            report.refused(CODE, outcome);
        } catch (RuntimeException e) {
            LOG.warn("file source: the refusal of a file name could not be audited ({})", e.getClass().getSimpleName());
        }
    }

    static String digest(String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8))).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Refused files that could not be moved (failed/ not writable, the server refusing the rename): each is logged
     * and audited once, not on every poll, and again only after it was moved or went away and came back.
     */
    static final class StuckFiles {
        private static final int MAX = 10_000;
        private final Set<String> digests = ConcurrentHashMap.newKeySet();

        void report(String name, Report report, String source, Exception why) {
            String digest = digest(name);
            if (digests.size() < MAX && digests.add(digest)) {
                LOG.warn("{}: a file whose name cannot be handled could not be moved to failed/ and stays in place,"
                        + " name digest {} ({}, {})", source, digest, CODE, why.getClass().getSimpleName());
                audit(report, LEFT_IN_PLACE + digest);
            }
        }

        void moved(String name) {
            digests.remove(digest(name));
        }
    }
}
