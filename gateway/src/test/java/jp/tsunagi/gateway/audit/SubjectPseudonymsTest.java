package jp.tsunagi.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.Arrays;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.validation.MessageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubjectPseudonymsTest {
    private static final Path SAMPLES = Path.of("../schemas/samples");
    private static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    private final SubjectPseudonyms pseudonyms = new SubjectPseudonyms(KEY);

    @TempDir
    Path keys;

    @Test
    void the_same_reading_in_the_spellings_of_different_systems_gives_the_same_pseudonym() {
        LocalDate born = LocalDate.of(1971, 2, 3);
        String ref = pseudonyms.subjectRef(new SubjectIdentity("サトウ", "ケンイチ", born));

        assertThat(ref).matches("[0-9a-f]{64}");
        assertThat(pseudonyms.subjectRef(new SubjectIdentity("ｻﾄｳ", "ｹﾝｲﾁ", born))).as("half-width kana").isEqualTo(ref);
        assertThat(pseudonyms.subjectRef(new SubjectIdentity("さとう", "けんいち", born))).as("hiragana").isEqualTo(ref);
        assertThat(pseudonyms.subjectRef(new SubjectIdentity("サトウ　", " ケンイチ", born))).as("spaces").isEqualTo(ref);
        assertThat(pseudonyms.subjectRef(new SubjectIdentity("サトウケン", "イチ", born))).as("split elsewhere").isEqualTo(ref);
        assertThat(pseudonyms.subjectRef(new SubjectIdentity("スミス", "ジョン", born)))
                .isEqualTo(pseudonyms.subjectRef(new SubjectIdentity("スミス・", "ジョン", born)));

        assertThat(pseudonyms.subjectRef(new SubjectIdentity("サトウ", "ケンイチ", born.plusDays(1)))).isNotEqualTo(ref);
        assertThat(pseudonyms.subjectRef(new SubjectIdentity("サトウ", "ケンジ", born))).isNotEqualTo(ref);
        assertThat(new SubjectPseudonyms(new byte[32]).subjectRef(new SubjectIdentity("サトウ", "ケンイチ", born)))
                .as("another key, another pseudonym").isNotEqualTo(ref);
    }

    @Test
    void the_identity_never_shows_in_its_string_form() {
        assertThat(new SubjectIdentity("サトウ", "ケンイチ", LocalDate.of(1971, 2, 3)).toString())
                .doesNotContain("サトウ", "1971");
    }

    @Test
    void a_message_in_json_or_xml_and_a_small_subject_file_name_the_same_person() throws Exception {
        byte[] json = Files.readAllBytes(SAMPLES.resolve("F1-tax-to-hub-payment-consultation.json"));
        byte[] xml = Files.readAllBytes(SAMPLES.resolve("F1-tax-to-hub-payment-consultation.xml"));
        Message message = new MessageReader().read(json);
        var subject = message.getReferral().getSubject();
        String small = "{\"kana\":{\"family\":\"" + subject.getKana().getFamily() + "\",\"given\":\""
                + subject.getKana().getGiven() + "\"},\"birthDate\":\"" + subject.getBirthDate() + "\"}";

        String ref = pseudonyms.subjectRef(subject);
        assertThat(pseudonyms.subjectRefOfDocument(json)).isEqualTo(ref);
        assertThat(pseudonyms.subjectRefOfDocument(xml)).isEqualTo(ref);
        assertThat(pseudonyms.subjectRefOfDocument(small.getBytes(StandardCharsets.UTF_8))).isEqualTo(ref);
    }

    @Test
    void a_file_that_names_nobody_is_refused_without_quoting_it() throws Exception {
        byte[] withdrawal = Files.readAllBytes(SAMPLES.resolve("F10-hub-consent-withdrawal.json"));

        assertThatThrownBy(() -> pseudonyms.subjectRefOfDocument(withdrawal))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no person");
        assertThatThrownBy(() -> pseudonyms.subjectRefOfDocument("{\"kana\":{\"family\":\"サトウ\"},\"birthDate\":\"x\"}"
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("サトウ");
        assertThatThrownBy(() -> pseudonyms.subjectRefOfDocument("サトウ".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("サトウ");
    }

    @Test
    void the_key_is_created_once_owner_only_and_kept() throws Exception {
        assertThatThrownBy(() -> SubjectPseudonyms.existingInKeyDirectory(keys))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("restore it from the backup");

        SubjectPseudonyms created = SubjectPseudonyms.inKeyDirectory(keys);
        Path file = keys.resolve(SubjectPseudonyms.KEY_FILE);
        SubjectIdentity someone = new SubjectIdentity("タナカ", "ハナコ", LocalDate.of(1950, 5, 5));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(SubjectPseudonyms.inKeyDirectory(keys).subjectRef(someone)).isEqualTo(created.subjectRef(someone));
        assertThat(SubjectPseudonyms.existingInKeyDirectory(keys).subjectRef(someone)).isEqualTo(created.subjectRef(someone));
        try (var listing = Files.list(keys)) {
            assertThat(listing).containsExactly(file);
        }
    }
}
