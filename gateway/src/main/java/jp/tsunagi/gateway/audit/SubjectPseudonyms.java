package jp.tsunagi.gateway.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import jp.tsunagi.schema.model.Subject;

/**
 * Keyed pseudonyms of people (仮名化): {@code subjectRef = hex(HMAC-SHA256(key, identity))} over
 * {@link SubjectIdentity#normalized()}. The audit trail and the provision records hold this, never the identity. A
 * plain hash would not do: kana and birth dates are few enough to hash them all and look a person up; without the
 * key nobody can.
 *
 * <p>The key is 32 random bytes, base64, in {@code audit-hmac.key} of the key directory, readable by the owner only.
 * Back it up with the database: without it no pseudonym can be recomputed, so {@code disclose} finds nothing.
 */
public final class SubjectPseudonyms {
    public static final String KEY_FILE = "audit-hmac.key";
    private static final int KEY_BYTES = 32;

    private final SecretKeySpec key;

    public SubjectPseudonyms(byte[] key) {
        if (key == null || key.length < KEY_BYTES) {
            throw new IllegalArgumentException("the pseudonym key needs at least " + KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(Arrays.copyOf(key, key.length), "HmacSHA256");
    }

    /** The key of the key directory, created (owner-only) when missing: for the gateway. */
    public static SubjectPseudonyms inKeyDirectory(Path keyDirectory) {
        Path file = keyDirectory.resolve(KEY_FILE);
        if (!Files.exists(file)) {
            create(keyDirectory, file);
        }
        return existingInKeyDirectory(keyDirectory);
    }

    /**
     * The key of the key directory, which must exist: for {@code disclose}, where a new key would silently match
     * nobody.
     *
     * @throws IllegalArgumentException when the file is missing or is not a key
     */
    public static SubjectPseudonyms existingInKeyDirectory(Path keyDirectory) {
        Path file = keyDirectory.resolve(KEY_FILE);
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return new SubjectPseudonyms(Base64.getDecoder().decode(text));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no pseudonym key at " + file + ": it is created by the gateway on its "
                    + "first start; restore it from the backup of the key directory");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is not a pseudonym key (32 bytes, base64)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public String subjectRef(SubjectIdentity identity) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(identity.normalized().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** The pseudonym of a message's subject. */
    public String subjectRef(Subject subject) {
        return subjectRef(SubjectIdentity.of(subject));
    }

    /** The pseudonym of the person a file names ({@link SubjectIdentity#fromDocument}). */
    public String subjectRefOfDocument(byte[] document) {
        return subjectRef(SubjectIdentity.fromDocument(document));
    }

    private static void create(Path directory, Path file) {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        try {
            Files.createDirectories(directory);
            Path temporary = ownerOnlyTemporaryFile(directory);
            try {
                Files.writeString(temporary, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
                // no REPLACE_EXISTING: if another process created the key meanwhile, its key wins
                Files.move(temporary, file);
            } catch (FileAlreadyExistsException e) {
                // created concurrently: use that one
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** As KeyMaterial does for private keys: owner-only where the file system has POSIX permissions. */
    private static Path ownerOnlyTemporaryFile(Path directory) throws IOException {
        try {
            return Files.createTempFile(directory, ".audit-hmac", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            return Files.createTempFile(directory, ".audit-hmac", ".tmp");
        }
    }
}
