package jp.tsunagi.schema;

import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Japan's time (日本標準時), in one place: municipal business days, consent expiry dates, era dates and file stamps
 * are all days and times in Japan, whatever the server's own time zone. Japan has no daylight saving time, so the
 * zone and the offset are the same thing; the offset is for the APIs that want one.
 */
public final class JapanTime {
    /** Asia/Tokyo. */
    public static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");
    /** +09:00. */
    public static final ZoneOffset OFFSET = ZoneOffset.ofHours(9);

    private JapanTime() {
    }
}
