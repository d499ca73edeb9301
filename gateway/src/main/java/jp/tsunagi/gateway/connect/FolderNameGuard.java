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
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
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
 * place unanswered. The refused name is never logged or kept: it may hold a person's name.
 */
public final class FolderNameGuard extends DefaultPollingConsumerPollStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(FolderNameGuard.class);
    /** The longest name (UTF-8 bytes) that leaves room for the lock suffix, the done/ time stamp and .result.csv. */
    static final int MAX_NAME_BYTES = 200;
    /** A dot name is a file still being written (written, then renamed); unchanged this long, it was abandoned. */
    static final Duration ABANDONED_DOT_FILE = Duration.ofMinutes(10);
    static final String CODE = "file.name_refused";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmssSSS").withZone(ZoneId.systemDefault());

    private final Clock clock;

    public FolderNameGuard() {
        this(Clock.systemDefaultZone());
    }

    FolderNameGuard(Clock clock) {
        this.clock = clock;
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
                String why = refusal(entry);
                if (why != null) {
                    quarantine(folder, entry, why);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("folder source: could not check the file names of a folder ({})", e.getClass().getSimpleName());
        }
    }

    /** Why this entry's name cannot be handled, or null. */
    String refusal(Path entry) throws IOException {
        if (!Files.isRegularFile(entry)) {
            return null;
        }
        String name = entry.getFileName().toString();
        if (name.endsWith(".camelLock")) {
            return null;
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return "the file name is longer than " + MAX_NAME_BYTES + " bytes: shorten it and drop the file again";
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            return "the file name holds a line break or another control character: rename it and drop the file again";
        }
        if (name.startsWith(".") && Files.getLastModifiedTime(entry).toInstant().plus(ABANDONED_DOT_FILE).isBefore(clock.instant())) {
            return "a name starting with a dot is a file still being written, and this one had not changed for "
                    + ABANDONED_DOT_FILE.toMinutes() + " minutes: write under a dot name, then rename it without the dot";
        }
        return null;
    }

    private void quarantine(Path folder, Path entry, String why) throws IOException {
        Path failed = Files.createDirectories(folder.resolve("failed"));
        String name = STAMP.format(clock.instant()) + "-name-refused-" + digest(entry.getFileName().toString());
        Files.move(entry, failed.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        BatchResult result = new BatchResult(name, List.of(new BatchResult.Line(0, BatchResult.Status.REJECTED, null, null, CODE, why)));
        Files.write(failed.resolve(name + ".result.csv"), result.toCsv(FixedWidthText.WINDOWS_31J));
        LOG.warn("folder source: a file whose name cannot be handled was moved to failed/{} ({})", name, CODE);
    }

    private static String digest(String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8))).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
