package jp.tsunagi.gateway.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The name guard when even failed/ cannot take a refused file: quarantined in place, audited once, never a loop. */
class FolderNameGuardTest {
    @TempDir
    Path folder;

    @Test
    void aRefusedFileThatCannotBeMovedStaysInPlaceWithOneAuditEntryAndIsMovedOnceFailedCanBeMade() throws Exception {
        List<String> audited = new ArrayList<>();
        FolderNameGuard guard = new FolderNameGuard(Clock.fixed(Instant.parse("2026-12-06T00:00:00Z"), ZoneId.of("Asia/Tokyo")),
                (code, outcome) -> audited.add(code + " " + outcome));
        Files.writeString(folder.resolve("failed"), "not a folder"); // failed/ cannot be made
        Path hostile = Files.writeString(folder.resolve("山田花子\n.DAT"), "data");

        for (int poll = 0; poll < 5; poll++) {
            guard.sweep(folder);
        }

        assertThat(hostile).exists();
        assertThat(audited).singleElement().asString().matches("file\\.name_refused left_in_place:[0-9a-f]{12}").doesNotContain("山田");

        Files.delete(folder.resolve("failed")); // mended: the next poll moves the file and answers it
        guard.sweep(folder);

        String digest = audited.get(0).substring(audited.get(0).indexOf(':') + 1);
        assertThat(audited).hasSize(2);
        assertThat(audited.get(1)).matches("file\\.name_refused failed/[0-9]{8}-[0-9]{9}-name-refused-" + digest);
        assertThat(hostile).doesNotExist();
        assertThat(folder.resolve(audited.get(1).substring("file.name_refused ".length()) + ".result.csv")).exists();
    }
}
