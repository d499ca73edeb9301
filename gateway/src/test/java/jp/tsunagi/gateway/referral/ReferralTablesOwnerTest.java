package jp.tsunagi.gateway.referral;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The referral ledger is the one writer of a referral's state: no other class calls the store's referral writes. */
class ReferralTablesOwnerTest {
    private static final Path MAIN = Path.of("src/main/java/jp/tsunagi/gateway");

    @Test
    void onlyTheReferralLedgerWritesTheReferralAndItsHistory() throws IOException {
        List<String> writers;
        try (Stream<Path> files = Files.walk(MAIN)) {
            writers = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.endsWith("store/MessageStore.java"))
                    .filter(f -> {
                        try {
                            String source = Files.readString(f);
                            return source.contains("upsertReferral(") || source.contains("appendReferralEvent(")
                                    || source.contains("recordReferralCopy(")
                                    || source.matches("(?s).*(INSERT INTO|UPDATE) referral(_event)?[ (].*");
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .map(f -> MAIN.relativize(f).toString()).toList();
        }
        assertThat(writers).containsExactly("referral/ReferralLedger.java");
    }
}
