package jp.tsunagi.gateway.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Exports audit entries as JSON Lines or CSV (RFC 4180). Entries hold no personal data in clear (people appear as
 * their keyed pseudonym), and an export is itself recorded in the trail (AUDIT_EXPORTED) before anything is written:
 * if that cannot be recorded, nothing is exported.
 *
 * <p>JSON Lines members are the hashed members of {@link AuditEntry} plus {@code prevHash} and {@code entryHash}, with
 * {@code at} exactly as hashed: an auditor can recompute every hash from the export alone.
 */
public final class AuditExport {
    public enum Format {
        JSONL, CSV;

        /** {@code jsonl} or {@code csv}, any case. */
        public static Format of(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("format must be jsonl or csv");
            }
        }
    }

    /** The CSV columns, in order: the table's column names. */
    public static final List<String> CSV_COLUMNS = List.of("seq", "at", "actor", "action", "message_id", "referral_id",
            "subject_ref", "data_categories", "basis", "outcome", "code", "prev_hash", "entry_hash");

    private static final OffsetDateTime BEGINNING = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final OffsetDateTime END = OffsetDateTime.of(9999, 12, 31, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private static final int PAGE = 5_000;

    private final AuditChain chain;

    public AuditExport(AuditChain chain) {
        this.chain = Objects.requireNonNull(chain);
    }

    /**
     * Records the export, then writes the entries with {@code from <= at < to} (either may be null: open) in seq
     * order.
     *
     * @param actor who exports: an administrator's login name (a code, see {@link AuditEvent#CODE})
     * @return the number of entries written
     */
    public long export(DataSource dataSource, String actor, OffsetDateTime from, OffsetDateTime to, Format format,
            Writer out) throws SQLException, IOException {
        chain.appendCommitted(dataSource, AuditEvent.of(AuditAction.AUDIT_EXPORTED, actor)
                .withOutcome("exported").withCode(format.name().toLowerCase(Locale.ROOT) + ":" + bound(from) + "/" + bound(to)));
        try (Connection c = dataSource.getConnection()) {
            return write(c, from, to, format, out);
        }
    }

    /** Writes the entries without recording anything: for callers that record the read themselves. */
    public static long write(Connection c, OffsetDateTime from, OffsetDateTime to, Format format, Writer out)
            throws SQLException, IOException {
        return write(c, new AuditSearch.Filter(from == null ? BEGINNING : from, to == null ? END : to, null, null, null,
                null, null, null, null), format, out);
    }

    /** The entries matching a filter of the console's audit trail page, oldest first; records nothing. */
    public static long write(Connection c, AuditSearch.Filter filter, Format format, Writer out)
            throws SQLException, IOException {
        if (format == Format.CSV) {
            out.write(String.join(",", CSV_COLUMNS) + "\r\n");
        }
        long count = 0;
        long after = 0;
        while (true) {
            List<AuditEntry> page = AuditSearch.oldestFirst(c, filter, after, PAGE);
            for (AuditEntry e : page) {
                out.write(format == Format.CSV ? csv(e) : jsonLine(e));
                count++;
                after = e.seq();
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        out.flush();
        return count;
    }

    static String jsonLine(AuditEntry e) throws IOException {
        ObjectNode line = JSON.createObjectNode();
        line.put("seq", e.seq());
        line.put("at", AuditTime.canonical(e.at()));
        line.put("actor", e.actor());
        line.put("action", e.action());
        line.put("messageId", e.messageId());
        line.put("referralId", e.referralId());
        line.put("subjectRef", e.subjectRef());
        line.put("dataCategories", e.dataCategories());
        line.put("basis", e.basis());
        line.put("outcome", e.outcome());
        line.put("code", e.code());
        line.put("prevHash", e.prevHash());
        line.put("entryHash", e.entryHash());
        return JSON.writeValueAsString(line) + "\n";
    }

    private static String csv(AuditEntry e) {
        String[] cells = {Long.toString(e.seq()), AuditTime.canonical(e.at()), e.actor(), e.action(), e.messageId(),
                e.referralId(), e.subjectRef(), e.dataCategories(), e.basis(), e.outcome(), e.code(), e.prevHash(),
                e.entryHash()};
        StringBuilder row = new StringBuilder(256);
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                row.append(',');
            }
            row.append(csvCell(cells[i]));
        }
        return row.append("\r\n").toString();
    }

    /** RFC 4180: a field with a comma, a double quote or a line break is quoted, its quotes doubled; null is empty. */
    static String csvCell(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static String bound(OffsetDateTime time) {
        return time == null ? ".." : AuditTime.canonical(time);
    }
}
