package jp.tsunagi.gateway.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption of payloads at rest (保存時の暗号化): AES-256-GCM with a random 96-bit nonce per payload, and the identity
 * of the row and column as associated data, so a ciphertext copied into another row or column does not decrypt.
 *
 * <p>Stored form: one version byte ({@value #VERSION}), the 12-byte nonce, then ciphertext and the 16-byte tag. The
 * version byte leaves room for a later key rotation (a new version naming another key).
 *
 * <p>The key is {@value #KEY_FILE} in the key directory: 32 random bytes, created owner-only on first use. Without it
 * no stored payload can be read, so undelivered messages are lost with it: back it up, apart from the database.
 */
public final class PayloadCipher {
    /** The file name of the key inside the key directory. */
    public static final String KEY_FILE = "store.key";
    public static final byte VERSION = 1;

    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A Cipher is not thread-safe, and finding one in the providers for each payload cost more than using it. */
    private static final ThreadLocal<Cipher> AES_GCM = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    });

    private final SecretKey key;

    private PayloadCipher(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the store key must be " + KEY_BYTES + " bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** A cipher with this key (32 bytes); the array is copied. */
    public static PayloadCipher withKey(byte[] key) {
        return new PayloadCipher(key.clone());
    }

    /**
     * The cipher of {@code keyDirectory/store.key}, creating the key (owner-only, 32 random bytes) if it is missing.
     *
     * @throws IllegalStateException when the file exists but is not a key of 32 bytes
     */
    public static PayloadCipher fromKeyDirectory(Path keyDirectory) {
        Path file = keyDirectory.resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                create(keyDirectory, file);
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length != KEY_BYTES) {
                throw new IllegalStateException(file + ": not a store key (expected " + KEY_BYTES + " bytes, found "
                        + bytes.length + "); restore it from its backup");
            }
            try {
                return new PayloadCipher(bytes);
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": the store key cannot be read or created", e);
        }
    }

    /** Written to a temporary file first and moved in place, so a crash never leaves a short key behind. */
    private static void create(Path directory, Path file) throws IOException {
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(directory);
        }
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))}
                : new FileAttribute<?>[0];
        Path temporary = Files.createTempFile(directory, ".store-key", ".tmp", ownerOnly);
        try {
            Files.write(temporary, key, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
            // a hard link appears complete or not at all and never replaces: if another process created the key
            // meanwhile, theirs is kept (a rename would silently replace a key that may already be in use)
            try {
                Files.createLink(file, temporary);
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (UnsupportedOperationException | FileSystemException e) {
                Files.move(temporary, file); // file systems without hard links: fails if the key exists
            }
        } catch (FileAlreadyExistsException e) {
            // another process won the race; its key is the one
        } finally {
            Arrays.fill(key, (byte) 0);
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Encrypts a payload for one place in the store.
     *
     * @param associatedData where the payload is stored (table, column and row id): the same value opens it
     */
    public byte[] encrypt(byte[] plaintext, String associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = AES_GCM.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * Decrypts what {@link #encrypt} produced for the same associated data.
     *
     * @throws UnreadablePayloadException when it was altered, belongs elsewhere, or another key encrypted it
     */
    public byte[] decrypt(byte[] stored, String associatedData) {
        if (stored.length < 1 + NONCE_BYTES + TAG_BITS / 8 || stored[0] != VERSION) {
            throw new UnreadablePayloadException("stored payload of " + associatedData + " is not in a known format");
        }
        try {
            Cipher cipher = AES_GCM.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 1, NONCE_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(stored, 1 + NONCE_BYTES, stored.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new UnreadablePayloadException("stored payload of " + associatedData
                    + " does not decrypt: altered, moved from another row, or encrypted with another store key");
        } catch (GeneralSecurityException e) {
            throw new UnreadablePayloadException("stored payload of " + associatedData + " does not decrypt", e);
        }
    }
}
