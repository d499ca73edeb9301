package jp.tsunagi.connectors.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The tax desk's shared folder (税務システムのファイル連携)")
class AgencyFolderTest {

    private static final Charset WINDOWS_31J = Charset.forName("windows-31j");
    private static final byte[] ARREARS = "宛名番号,税目,滞納額\r\n000123,個人住民税,45000\r\n".getBytes(WINDOWS_31J);

    @TempDir
    Path base;

    private static List<String> everything(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void createsOutForTheTaxSystemsFilesAndInForTheGateways() throws IOException {
        AgencyFolder folder = AgencyFolder.create(base.resolve("zeimu"));

        assertThat(folder.out()).isDirectory().isEqualTo(base.resolve("zeimu/out"));
        assertThat(folder.in()).isDirectory().isEqualTo(base.resolve("zeimu/in"));
        assertThat(AgencyFolder.create(base.resolve("zeimu")).base()).isEqualTo(folder.base());
    }

    @Test
    void aDroppedFileIsInOutWithExactlyItsBytes() throws IOException {
        AgencyFolder folder = AgencyFolder.create(base);

        Path dropped = folder.drop("TAINO_20240401.csv", ARREARS);

        assertThat(dropped).isEqualTo(folder.out().resolve("TAINO_20240401.csv"));
        assertThat(Files.readAllBytes(dropped)).isEqualTo(ARREARS);
        assertThat(folder.pending()).containsExactly("TAINO_20240401.csv");
        assertThat(everything(folder.out())).containsExactly("TAINO_20240401.csv");
    }

    @Test
    void whileAFileIsBeingWrittenOnlyAHiddenTemporaryNameExists() throws IOException {
        AgencyFolder folder = AgencyFolder.create(base);

        folder.drop("TAINO_20240401.csv", out -> {
            out.write(ARREARS, 0, 10);
            out.flush();
            // what a poller of out/ sees halfway through the write
            assertThat(folder.pending()).isEmpty();
            assertThat(folder.out().resolve("TAINO_20240401.csv")).doesNotExist();
            assertThat(everything(folder.out())).singleElement().asString().startsWith(".TAINO_20240401.csv.");
            out.write(ARREARS, 10, ARREARS.length - 10);
        });

        assertThat(everything(folder.out())).containsExactly("TAINO_20240401.csv");
        assertThat(Files.readAllBytes(folder.out().resolve("TAINO_20240401.csv"))).isEqualTo(ARREARS);
    }

    @Test
    void aWriteThatFailsLeavesNothingBehind() throws IOException {
        AgencyFolder folder = AgencyFolder.create(base);

        assertThatThrownBy(() -> folder.drop("TAINO_20240401.csv", out -> {
            out.write(ARREARS, 0, 10);
            throw new IOException("disk full");
        })).hasMessage("disk full");

        assertThat(everything(folder.out())).isEmpty();
    }

    @Test
    void anExistingFileIsNotReplaced() throws IOException {
        AgencyFolder folder = AgencyFolder.create(base);
        folder.drop("TAINO_20240401.csv", ARREARS);

        assertThatThrownBy(() -> folder.drop("TAINO_20240401.csv", new byte[] {1}))
                .isInstanceOf(FileAlreadyExistsException.class);

        assertThat(Files.readAllBytes(folder.out().resolve("TAINO_20240401.csv"))).isEqualTo(ARREARS);
        assertThat(everything(folder.out())).containsExactly("TAINO_20240401.csv");
    }

    @Test
    void whatTheGatewayWroteInInIsListedAndReadButNotItsTemporaryFiles() throws IOException {
        AgencyFolder folder = AgencyFolder.create(base);
        AgencyFolder.publish(folder.in(), "KAITO_002.csv", out -> out.write(ARREARS));
        AgencyFolder.publish(folder.in(), "KAITO_001.csv", out -> out.write(new byte[] {'1'}));
        Files.write(folder.in().resolve(".KAITO_003.csv.part"), new byte[] {'3'});
        Files.createDirectory(folder.in().resolve("archive"));

        assertThat(folder.arrived()).containsExactly("KAITO_001.csv", "KAITO_002.csv");
        assertThat(folder.read("KAITO_002.csv")).isEqualTo(ARREARS);
    }

    @Test
    void fileNamesArePlainNames() throws IOException {
        AgencyFolder folder = AgencyFolder.create(base.resolve("zeimu"));

        for (String name : List.of("", ".hidden.csv", "../escape.csv", "sub/file.csv", "sub\\file.csv")) {
            assertThatIllegalArgumentException().as(name).isThrownBy(() -> folder.drop(name, ARREARS));
        }
        assertThatIllegalArgumentException().isThrownBy(() -> folder.read("../out/x.csv"));
        assertThat(base.resolve("escape.csv")).doesNotExist();
    }
}
