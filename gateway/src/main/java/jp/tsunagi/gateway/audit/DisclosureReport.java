package jp.tsunagi.gateway.audit;

import jp.tsunagi.schema.JapanTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import jp.tsunagi.schema.CodeLists;

/**
 * The provision records of one person as a text table in Japanese (with English headings beside), what an
 * administrator hands over or reads out for a disclosure request. Columns are aligned by display width: kanji and
 * full-width kana take two terminal columns.
 */
public final class DisclosureReport {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm");
    private static final List<String> HEADINGS = List.of("No", "日時 (日本時間)", "提供元 sender", "提供先 recipient",
            "根拠 basis", "提供した情報の区分 data categories", "メッセージID message", "紹介ID referral", "保存期限 keep until");

    private DisclosureReport() {
    }

    /**
     * @param agencyName the Japanese name of an agency id, or null when unknown (the id alone is shown)
     */
    public static String render(String subjectRef, List<ProvisionRecord> records, Function<String, String> agencyName) {
        StringBuilder out = new StringBuilder();
        out.append("提供記録の開示 (APPI provision records)\n");
        out.append("本人 (subject ref): ").append(subjectRef).append('\n');
        if (records.isEmpty()) {
            out.append("提供記録はありません。No provision records: no data of this person was provided through this gateway")
                    .append(" (or the records are past their retention).\n");
            return out.toString();
        }
        out.append(records.size()).append(" 件 (records)\n\n");
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADINGS);
        int n = 0;
        for (ProvisionRecord r : records) {
            Provision p = r.provision();
            rows.add(List.of(
                    Integer.toString(++n),
                    TIME.format(r.at().atZoneSameInstant(JapanTime.ZONE)),
                    agency(p.sender(), agencyName),
                    agency(p.recipient(), agencyName),
                    CodeLists.label(p.basis()) + (p.basisRef() == null ? "" : " " + p.basisRef()),
                    p.categories().stream().map(CodeLists::label).collect(Collectors.joining("、")),
                    p.messageId(),
                    p.referralId() == null ? "-" : p.referralId(),
                    r.keepUntil().toString()));
        }
        int[] widths = new int[HEADINGS.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], width(row.get(i)));
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(row.get(i));
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] - width(row.get(i)) + 2));
                }
            }
            out.append(line).append('\n');
            if (r == 0) {
                int total = 0;
                for (int w : widths) {
                    total += w + 2;
                }
                out.append("-".repeat(total - 2)).append('\n');
            }
        }
        return out.toString();
    }

    private static String agency(String id, Function<String, String> agencyName) {
        String name = agencyName == null ? null : agencyName.apply(id);
        return name == null ? id : name + " (" + id + ")";
    }

    /** Terminal columns of a string: East Asian wide and full-width characters count two. */
    static int width(String text) {
        int width = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            width += wide(cp) ? 2 : 1;
            i += Character.charCount(cp);
        }
        return width;
    }

    private static boolean wide(int cp) {
        return (cp >= 0x1100 && cp <= 0x115F)
                || (cp >= 0x2E80 && cp <= 0x303E)
                || (cp >= 0x3041 && cp <= 0x33FF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0xA000 && cp <= 0xA4CF)
                || (cp >= 0xAC00 && cp <= 0xD7A3)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0xFE30 && cp <= 0xFE4F)
                || (cp >= 0xFF00 && cp <= 0xFF60)
                || (cp >= 0xFFE0 && cp <= 0xFFE6)
                || (cp >= 0x20000 && cp <= 0x3FFFD);
    }
}
