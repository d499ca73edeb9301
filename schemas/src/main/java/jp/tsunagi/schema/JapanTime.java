package jp.tsunagi.schema;

import java.time.ZoneId;

/** Japan time (日本標準時): the one zone in which dates of Japanese law and agencies are read (期限, 開庁日, 提供記録). */
public final class JapanTime {
    public static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");

    private JapanTime() {
    }
}
