package jp.tsunagi.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayloadCipherTest {
    private static final byte[] PLAIN = StoreFixture.document("m-1");

    @Test
    void roundTripsWithTheSameAssociatedData(@TempDir Path keys) {
        PayloadCipher cipher = PayloadCipher.fromKeyDirectory(keys);
        byte[] sealed = cipher.encrypt(PLAIN, "outbox.payload_enc:m-1");

        assertThat(cipher.decrypt(sealed, "outbox.payload_enc:m-1")).isEqualTo(PLAIN);
        assertThat(sealed[0]).isEqualTo(PayloadCipher.VERSION);
        assertThat(sealed).hasSize(1 + 12 + PLAIN.length + 16);
        assertThat(new String(sealed, StandardCharsets.UTF_8)).doesNotContain(StoreFixture.CANARY_NAME);
        // a fresh nonce every time: the same document never gives the same ciphertext
        assertThat(cipher.encrypt(PLAIN, "outbox.payload_enc:m-1")).isNotEqualTo(sealed);
    }

    @Test
    void aTamperedPayloadDoesNotDecrypt(@TempDir Path keys) {
        PayloadCipher cipher = PayloadCipher.fromKeyDirectory(keys);
        byte[] sealed = cipher.encrypt(PLAIN, "message.payload_enc:m-1");
        for (int i : new int[] {1, 13, sealed.length - 1}) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 1;
            assertThatThrownBy(() -> cipher.decrypt(tampered, "message.payload_enc:m-1"))
                    .isInstanceOf(UnreadablePayloadException.class)
                    .hasMessageNotContaining(StoreFixture.CANARY_NAME);
        }
        byte[] truncated = java.util.Arrays.copyOf(sealed, 20);
        assertThatThrownBy(() -> cipher.decrypt(truncated, "message.payload_enc:m-1"))
                .isInstanceOf(UnreadablePayloadException.class);
    }

    @Test
    void aPayloadMovedToAnotherRowOrColumnDoesNotDecrypt(@TempDir Path keys) {
        PayloadCipher cipher = PayloadCipher.fromKeyDirectory(keys);
        byte[] sealed = cipher.encrypt(PLAIN, "message.payload_enc:m-1");

        assertThatThrownBy(() -> cipher.decrypt(sealed, "message.payload_enc:m-2"))
                .isInstanceOf(UnreadablePayloadException.class);
        assertThatThrownBy(() -> cipher.decrypt(sealed, "message.receipt_enc:m-1"))
                .isInstanceOf(UnreadablePayloadException.class);
    }

    @Test
    void anotherKeyCannotReadIt(@TempDir Path one, @TempDir Path other) {
        byte[] sealed = PayloadCipher.fromKeyDirectory(one).encrypt(PLAIN, "a");
        assertThatThrownBy(() -> PayloadCipher.fromKeyDirectory(other).decrypt(sealed, "a"))
                .isInstanceOf(UnreadablePayloadException.class);
    }

    @Test
    void theKeyFileIsCreatedOnceOwnerOnlyAndReused(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("keys");
        byte[] sealed = PayloadCipher.fromKeyDirectory(keys).encrypt(PLAIN, "a");
        Path file = keys.resolve(PayloadCipher.KEY_FILE);

        assertThat(Files.size(file)).isEqualTo(32);
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(Files.getPosixFilePermissions(file))
                    .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        }
        assertThat(Files.list(keys).count()).as("no temporary file left behind").isEqualTo(1);
        // a restart reads the same key
        assertThat(PayloadCipher.fromKeyDirectory(keys).decrypt(sealed, "a")).isEqualTo(PLAIN);
    }

    @Test
    void aDamagedKeyFileIsRefusedNotReplaced(@TempDir Path keys) throws Exception {
        Path file = keys.resolve(PayloadCipher.KEY_FILE);
        Files.write(file, new byte[31]);

        assertThatThrownBy(() -> PayloadCipher.fromKeyDirectory(keys))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("backup");
        assertThat(Files.size(file)).isEqualTo(31);
    }
}
