package jp.tsunagi.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.codec.XmlCodec;
import jp.tsunagi.schema.model.HouseholdMember;
import jp.tsunagi.schema.model.KanaName;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.model.Subject;
import jp.tsunagi.schema.validation.MessageRejectedException;

/**
 * The part of a person's identity their pseudonym is computed from: the kana reading (フリガナ) of family and given
 * name, and the birth date. Kana, not kanji: the same person's name is written with variant kanji in different
 * systems (髙/高, 﨑/崎, 邊/邉/辺) and some vendor systems cannot store the variants at all, while the reading is
 * the same everywhere. Kana plus birth date is also what the agencies themselves match people on.
 *
 * <p>Personal data: {@link #toString} never shows it, and nothing here logs it.
 */
public record SubjectIdentity(String kanaFamily, String kanaGiven, LocalDate birthDate) {
    public SubjectIdentity {
        if (kanaFamily == null || kanaGiven == null || birthDate == null
                || normalizeKana(kanaFamily + kanaGiven).isEmpty()) {
            throw new IllegalArgumentException("a person is identified here by kana family name, kana given name and birth date");
        }
    }

    public static SubjectIdentity of(Subject subject) {
        KanaName kana = subject.getKana();
        if (kana == null) {
            throw new IllegalArgumentException("the subject has no kana name");
        }
        return new SubjectIdentity(kana.getFamily(), kana.getGiven(), subject.getBirthDate());
    }

    /**
     * A household member (世帯員) as a person of her own, identified like a subject; empty when the message does not give
     * her kana name and birth date (then no pseudonym, and no provision record, can be made for her).
     */
    public static Optional<SubjectIdentity> of(HouseholdMember member) {
        KanaName kana = member.getKana();
        try {
            return kana == null ? Optional.empty()
                    : Optional.of(new SubjectIdentity(kana.getFamily(), kana.getGiven(), member.getBirthDate()));
        } catch (IllegalArgumentException notIdentified) { // the constructor's rule: kana and birth date needed
            return Optional.empty();
        }
    }

    /**
     * The person a file names: a message in JSON or XML (its referral's subject), or a small JSON
     * {@code {"kana":{"family":"サトウ","given":"ケンイチ"},"birthDate":"1970-01-01"}}. The message is read for the
     * subject only: it need not be signed, current or otherwise valid.
     *
     * @throws IllegalArgumentException when the file names no person; the message never quotes the file
     */
    public static SubjectIdentity fromDocument(byte[] document) {
        try {
            if (MessageFormat.detect(document) == MessageFormat.XML) {
                return ofMessage(XmlCodec.bind(XmlCodec.parse(document)));
            }
            JsonNode tree = JsonCodec.parse(document);
            if (tree.has("kana") && tree.has("birthDate") && !tree.has("messageId")) {
                return new SubjectIdentity(text(tree.path("kana").path("family")), text(tree.path("kana").path("given")),
                        LocalDate.parse(text(tree.path("birthDate"))));
            }
            return ofMessage(JsonCodec.bind(tree));
        } catch (MessageRejectedException e) {
            throw new IllegalArgumentException("not a readable message or subject file (" + e.code() + ")");
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("birthDate must be an ISO date such as 1970-01-31");
        }
    }

    private static SubjectIdentity ofMessage(Message message) {
        if (message == null || message.getReferral() == null || message.getReferral().getSubject() == null) {
            throw new IllegalArgumentException("the file names no person: it is neither a referral with a subject "
                    + "nor {\"kana\":{\"family\",\"given\"},\"birthDate\"}");
        }
        return of(message.getReferral().getSubject());
    }

    private static String text(JsonNode node) {
        if (!node.isTextual()) {
            throw new IllegalArgumentException("the subject file needs kana.family, kana.given and birthDate as strings");
        }
        return node.asText();
    }

    /**
     * What is hashed: {@code <kana family><kana given>|<birth date ISO>}, the kana normalized so that the spellings
     * of one reading in different systems meet: NFKC (half-width カナ to full-width, full-width space to space),
     * hiragana to katakana, and spaces and middle dots (・) removed; family and given are joined because systems
     * split foreign and compound names differently.
     */
    public String normalized() {
        return normalizeKana(kanaFamily + kanaGiven) + "|" + birthDate;
    }

    static String normalizeKana(String kana) {
        String nfkc = Normalizer.normalize(kana, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(nfkc.length());
        for (int i = 0; i < nfkc.length(); i++) {
            char ch = nfkc.charAt(i);
            if (Character.isWhitespace(ch) || Character.isSpaceChar(ch) || ch == '・' || ch == '･') {
                continue;
            }
            if (ch >= 'ぁ' && ch <= 'ゖ') {
                ch = (char) (ch + ('ァ' - 'ぁ'));
            }
            out.append(ch);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "SubjectIdentity[personal data not shown]";
    }
}
