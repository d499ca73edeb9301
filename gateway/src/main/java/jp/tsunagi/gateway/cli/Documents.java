package jp.tsunagi.gateway.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import jp.tsunagi.schema.validation.MessageReader;
import jp.tsunagi.schema.validation.MessageRejectedException;
import jp.tsunagi.schema.validation.ProblemCode;

/** Reading a message file: never more than the size limit of a message, whatever the size of the file. */
final class Documents {
    private Documents() {
    }

    /**
     * The bytes of the file.
     *
     * @throws MessageRejectedException ({@code message.too_large}) when it is larger than a message may be
     * @throws IllegalArgumentException when it cannot be read
     */
    static byte[] read(Path file) {
        int limit = MessageReader.DEFAULT_MAX_BYTES;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new MessageRejectedException(ProblemCode.MESSAGE_TOO_LARGE, "larger than the limit of " + limit + " bytes");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }
}
