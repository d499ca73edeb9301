package jp.tsunagi.connectors.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The shared folder of an agency system that exchanges files, as the tax desk's system does (税務システムのファイル連携):
 * the system drops its files in {@code out/} for the gateway to collect, and finds in {@code in/} what the gateway
 * wrote for it.
 *
 * <p>Files appear whole or not at all: content is written to a hidden temporary name (starting with '.', which
 * pollers skip, Camel's file component included), forced to disk, then renamed with {@code ATOMIC_MOVE}. Listings
 * here leave hidden files out for the same reason.
 */
public final class AgencyFolder {
    /** Writes a file's content; the stream is closed by the caller of this interface. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private final Path base;
    private final Path out;
    private final Path in;

    private AgencyFolder(Path base) {
        this.base = base;
        this.out = base.resolve("out");
        this.in = base.resolve("in");
    }

    /** The folder at base, with {@code out/} and {@code in/} created if missing. */
    public static AgencyFolder create(Path base) throws IOException {
        AgencyFolder folder = new AgencyFolder(base.toAbsolutePath().normalize());
        Files.createDirectories(folder.out);
        Files.createDirectories(folder.in);
        return folder;
    }

    public Path base() {
        return base;
    }

    /** Where the agency's system drops files for the gateway. */
    public Path out() {
        return out;
    }

    /** Where the gateway writes files for the agency's system. */
    public Path in() {
        return in;
    }

    /** Drops a file in {@code out/} for the gateway, atomically. */
    public Path drop(String fileName, byte[] content) throws IOException {
        return publish(out, fileName, stream -> stream.write(content));
    }

    /** Drops a file in {@code out/} for the gateway, atomically, its content written by content. */
    public Path drop(String fileName, Content content) throws IOException {
        return publish(out, fileName, content);
    }

    /** Names of the files that arrived in {@code in/}, sorted; temporary (hidden) files left out. */
    public List<String> arrived() throws IOException {
        return visibleFiles(in);
    }

    /** Reads a file that arrived in {@code in/}. */
    public byte[] read(String fileName) throws IOException {
        return Files.readAllBytes(in.resolve(checkName(fileName)));
    }

    /** Names of the files still in {@code out/}, sorted: those the gateway has not collected yet. */
    public List<String> pending() throws IOException {
        return visibleFiles(out);
    }

    /**
     * Writes dir/fileName so that no reader of dir ever sees it partial: content goes to a hidden temporary file in
     * the same directory, which is forced to disk and renamed with {@code ATOMIC_MOVE}. Refuses to replace an
     * existing file (checked just before the rename: two writers racing for one name are not detected). On any
     * failure the temporary file is deleted and nothing appears.
     *
     * @throws FileAlreadyExistsException if dir/fileName exists
     * @throws java.nio.file.AtomicMoveNotSupportedException if the file system cannot rename atomically
     */
    public static Path publish(Path dir, String fileName, Content content) throws IOException {
        Path target = dir.resolve(checkName(fileName));
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Path temporary = dir.resolve("." + fileName + "." + UUID.randomUUID() + ".part");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream stream = Channels.newOutputStream(channel);
                content.writeTo(stream);
                stream.flush();
                channel.force(true);
            }
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            return Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static List<String> visibleFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    /** A plain file name: not empty, not hidden, no directory part. */
    private static String checkName(String fileName) {
        if (fileName == null || fileName.isEmpty() || fileName.startsWith(".")
                || fileName.contains("/") || fileName.contains("\\")) {
            throw new IllegalArgumentException("a file name must be a plain name, not empty, hidden or a path");
        }
        return fileName;
    }
}
