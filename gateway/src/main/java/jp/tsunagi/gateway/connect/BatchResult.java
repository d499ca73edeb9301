package jp.tsunagi.gateway.connect;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.Charset;
import java.util.List;
import java.util.stream.Collectors;
import jp.tsunagi.schema.codec.JsonCodec;

/**
 * What became of each record of one native file or document (処理結果): accepted as a message, a duplicate of one
 * accepted before, or rejected with a stable code and a reason naming the field, never its value. Written back to the
 * sending system as the result file (CSV in the file's own encoding) or, over HTTP, as JSON.
 */
public record BatchResult(String source, List<Line> lines) {
    public enum Status { ACCEPTED, DUPLICATE, REJECTED }

    /** One record: its number in the file, what became of it, the ids it was given, and why if rejected. */
    public record Line(int record, Status status, String referralId, String messageId, String code, String reason) {
    }

    public long count(Status status) {
        return lines.stream().filter(l -> l.status() == status).count();
    }

    public boolean allAccepted() {
        return lines.stream().allMatch(l -> l.status() != Status.REJECTED);
    }

    /** 行番号,結果,整理番号,メッセージID,理由コード,理由 with CRLF, in the given encoding (that of the input file). */
    public byte[] toCsv(Charset charset) {
        String header = "行番号,結果,紹介ID,メッセージID,理由コード,理由\r\n";
        String body = lines.stream().map(l -> String.join(",", String.valueOf(l.record()), l.status().name(),
                        cell(l.referralId()), cell(l.messageId()), cell(l.code()), cell(l.reason())) + "\r\n")
                .collect(Collectors.joining());
        return (header + body).getBytes(charset);
    }

    /** {"source":..., "accepted":n, "duplicates":n, "rejected":n, "records":[...]} */
    public byte[] toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("accepted", count(Status.ACCEPTED));
        root.put("duplicates", count(Status.DUPLICATE));
        root.put("rejected", count(Status.REJECTED));
        ArrayNode records = root.putArray("records");
        for (Line l : lines) {
            ObjectNode r = records.addObject().put("record", l.record()).put("status", l.status().name());
            putIf(r, "referralId", l.referralId());
            putIf(r, "messageId", l.messageId());
            putIf(r, "code", l.code());
            putIf(r, "reason", l.reason());
        }
        return JsonCodec.write(root);
    }

    private static void putIf(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    private static String cell(String value) {
        if (value == null) {
            return "";
        }
        return value.matches("[^,\"\r\n]*") ? value : "\"" + value.replace("\"", "\"\"").replaceAll("[\r\n]", " ") + "\"";
    }
}
