package jp.tsunagi.connectors.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A simulated Hello Work system (ハローワークシステム) on the batch link: writes the CSV files Hello Work puts on its
 * SFTP server for the gateway, in the layouts of {@code conf/mappings/hellowork-outcome.yaml} (支援状況報告,
 * データ種別 21) and {@code conf/mappings/hellowork-recommendation.yaml} (利用勧奨連絡, データ種別 31): Windows-31J,
 * a header row, one line per report, CRLF, values quoted as CSV requires (a comma or a quote in 備考), names in
 * kanji with half-width kana readings, dates in 和暦. Files are placed on an {@link SftpAgencyServer} atomically.
 */
public final class HelloWorkSystem {
    public static final Charset WINDOWS_31J = Charset.forName("windows-31j");

    /** 支援状況報告: Hello Work's report on a team-support request of the hub (F4). */
    public static final List<String> OUTCOME_COLUMNS = List.of("データ種別", "依頼番号", "求職番号", "氏名", "ﾌﾘｶﾞﾅ",
            "状況コード", "理由コード", "状況日", "担当者", "備考");

    /** 利用勧奨連絡: a job seeker Hello Work recommends to the hub (F6). */
    public static final List<String> RECOMMENDATION_COLUMNS = List.of("データ種別", "依頼番号", "求職番号", "氏名(姓)",
            "氏名(名)", "ﾌﾘｶﾞﾅ(ｾｲ)", "ﾌﾘｶﾞﾅ(ﾒｲ)", "生年月日", "郵便番号", "市区町村コード", "住所", "電話番号",
            "希望連絡方法", "課題1", "課題2", "課題3", "希望支援1", "希望支援2", "緊急度", "相談内容", "就労状況", "職歴等",
            "月収(円)", "預貯金(円)", "負債額(円)", "収入・資産備考", "受付部門", "担当者", "担当者電話番号", "同意番号",
            "同意日", "同意方法", "同意期限");

    private HelloWorkSystem() {
    }

    /**
     * One line of a 支援状況報告 on the hub's request requestNo for the job seeker 小林 翔太 (the F4 sample).
     *
     * @param status Hello Work's 状況コード (02 支援開始, 03 支援中, 05 就職, 06 支援終了, 07 支援対象外...)
     * @param date   状況日 in 和暦 (R08.10.15)
     */
    public static Map<String, String> outcome(String requestNo, String status, String reason, String date, String note) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("データ種別", "21");
        row.put("依頼番号", requestNo);
        row.put("求職番号", "13010-04518261");
        row.put("氏名", "小林　翔太");
        row.put("ﾌﾘｶﾞﾅ", "ｺﾊﾞﾔｼ ｼｮｳﾀ");
        row.put("状況コード", status);
        row.put("理由コード", reason);
        row.put("状況日", date);
        row.put("担当者", "就職支援ナビゲーター 山口");
        row.put("備考", note);
        return row;
    }

    /** One line of a 利用勧奨連絡 for a fictitious job seeker with debts (the F6 sample); number makes the ids distinct. */
    public static Map<String, String> recommendation(int number) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("データ種別", "31");
        row.put("依頼番号", String.format("HW-2026-%06d", number));
        row.put("求職番号", String.format("13010-%08d", 7260000 + number));
        row.put("氏名(姓)", "伊藤");
        row.put("氏名(名)", "大輔");
        row.put("ﾌﾘｶﾞﾅ(ｾｲ)", "ｲﾄｳ");
        row.put("ﾌﾘｶﾞﾅ(ﾒｲ)", "ﾀﾞｲｽｹ");
        row.put("生年月日", "S62.01.25");
        row.put("郵便番号", "1980025");
        row.put("市区町村コード", "139998");
        row.put("住所", "東京都つなぎ市東町五丁目2番10号 ハイム東町302");
        row.put("電話番号", "090-7265-0134");
        row.put("希望連絡方法", "1");
        row.put("課題1", "06");
        row.put("課題2", "01");
        row.put("課題3", "02");
        row.put("希望支援1", "05");
        row.put("希望支援2", "07");
        row.put("緊急度", "2");
        row.put("相談内容", "職業相談の中で、借金の返済に追われて生活が苦しく、仕事探しに集中できないとの話があった。"
                + "本人は債務整理も含めて相談したいと希望しており、自立相談支援機関の利用を勧めたところ了承された。");
        row.put("就労状況", "2");
        row.put("職歴等", "2026年8月に建設会社(現場作業)を自己都合で退職。雇用保険の基本手当を受給中。");
        row.put("月収(円)", "168000");
        row.put("預貯金(円)", "30000");
        row.put("負債額(円)", "2,350,000");
        row.put("収入・資産備考", "消費者金融3社とクレジットカードのリボ払い。毎月の返済額は約9万円。");
        row.put("受付部門", "ハローワークつなぎ 職業相談部門");
        row.put("担当者", "木村 拓也");
        row.put("担当者電話番号", "042-555-0510");
        row.put("同意番号", String.format("HWC-2026-%06d", number));
        row.put("同意日", "R08.10.06");
        row.put("同意方法", "2");
        row.put("同意期限", "R10.03.31");
        return row;
    }

    /** The row as one CSV line (no line break) in the order of columns; a missing column is empty. */
    public static String line(List<String> columns, Map<String, String> row) {
        return columns.stream().map(c -> quote(row.getOrDefault(c, ""))).collect(Collectors.joining(","));
    }

    /** A batch file: the header row, then each line, each followed by CRLF, in Windows-31J. */
    public static byte[] file(List<String> columns, List<String> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((String.join(",", columns) + "\r\n").getBytes(WINDOWS_31J));
        for (String line : lines) {
            out.writeBytes((line + "\r\n").getBytes(WINDOWS_31J));
        }
        return out.toByteArray();
    }

    /**
     * Puts a file into a directory of the SFTP server ({@code /from-hellowork}) as Hello Work's system does: written
     * under a hidden name, then renamed, so the gateway never reads half a file.
     */
    public static Path upload(SftpAgencyServer server, String directory, String fileName, byte[] content) throws IOException {
        Path dir = Files.createDirectories(server.root().resolve(directory.replaceFirst("^/+", "")));
        return AgencyFolder.publish(dir, fileName, out -> out.write(content));
    }

    /** RFC 4180: quoted when the value holds a comma, a quote or a line break; quotes doubled. */
    static String quote(String value) {
        return value.matches("[^,\"\r\n]*") ? value : "\"" + value.replace("\"", "\"\"") + "\"";
    }
}
