package jp.tsunagi.gateway.audit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.tsunagi.schema.signature.KeyResolver;
import jp.tsunagi.schema.signature.Pem;

/**
 * The offline verification bundle (オフライン検証用バンドル): one JSON file with the entries of a range, the gateway's
 * signed checkpoints and head that cover them, and the gateway's public keys, so that anyone can check the range
 * without the database ({@code tsunagi audit verify --bundle FILE}). An export of entries alone proves nothing, since
 * whoever holds it can edit an entry and recompute every hash after it; the signed anchors cannot be recomputed.
 *
 * <p>The entries run from the first entry of the range to the first signed checkpoint at or after its last entry (or
 * the signed head when no checkpoint follows yet), so that the last hash is one the gateway signed. Members:
 * {@code format}, {@code version}, {@code range} ({@code from}, {@code to}, {@code firstSeq}, {@code lastSeq}),
 * {@code entries} (as in a JSON Lines export), {@code checkpoints} and {@code head} ({@code seq}, {@code at},
 * {@code entryHash}, {@code kid}, {@code signature}), {@code keys} ({@code kid}, {@code publicKey} in PEM).
 *
 * <p>The keys travel with the bundle for convenience: compare their fingerprints with the gateway's published key
 * (docs/administrator-guide.md) before trusting a verdict.
 */
public final class AuditBundle {
    public static final String FORMAT = "tsunagi-audit-bundle";
    private static final int PAGE = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(4096).build()).build())
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    /** The verdict and the keys it rests on ({@code kid sha256:<fingerprint of the SubjectPublicKeyInfo>}). */
    public record Check(VerificationResult result, List<String> keys) {
    }

    private AuditBundle() {
    }

    /** The entries with {@code from <= at < to} (either null: open) and what covers them. */
    public static void write(Connection c, OffsetDateTime from, OffsetDateTime to, Map<String, PublicKey> keys,
            OutputStream out) throws SQLException, IOException {
        long[] seqs = seqRange(c, from, to);
        write(c, seqs[0], seqs[1], from, to, keys, out);
    }

    /** The entries {@code firstSeq..lastSeq} (an empty range when first > last) and what covers them. */
    public static void write(Connection c, long firstSeq, long lastSeq, OffsetDateTime from, OffsetDateTime to,
            Map<String, PublicKey> keys, OutputStream out) throws SQLException, IOException {
        AuditRows.Anchor head = AuditRows.head(c); // first: every entry up to it is committed
        long headSeq = head == null ? 0 : head.seq();
        long last = Math.min(lastSeq, headSeq);
        long end = last;
        if (firstSeq <= last) {
            List<AuditRows.Anchor> covering = AuditRows.checkpoints(c, last - 1, 1);
            end = covering.isEmpty() || covering.get(0).seq() > headSeq ? headSeq : covering.get(0).seq();
        }
        try (JsonGenerator g = JSON.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeNumberField("version", 1);
            g.writeObjectFieldStart("range");
            g.writeStringField("from", from == null ? null : AuditTime.canonical(from));
            g.writeStringField("to", to == null ? null : AuditTime.canonical(to));
            g.writeNumberField("firstSeq", firstSeq);
            g.writeNumberField("lastSeq", last);
            g.writeEndObject();
            g.writeArrayFieldStart("entries");
            if (firstSeq <= last) {
                for (long after = firstSeq - 1; after < end; ) {
                    List<AuditEntry> page = AuditRows.page(c, after, end, PAGE);
                    if (page.isEmpty()) {
                        break;
                    }
                    for (AuditEntry e : page) {
                        JSON.writeTree(g, JSON.readTree(AuditExport.jsonLine(e)));
                        after = e.seq();
                    }
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("checkpoints");
            if (firstSeq <= last) {
                for (long after = firstSeq - 1; ; ) {
                    List<AuditRows.Anchor> page = AuditRows.checkpoints(c, after, PAGE);
                    boolean done = page.size() < PAGE;
                    for (AuditRows.Anchor a : page) {
                        if (a.seq() > end) {
                            done = true;
                            break;
                        }
                        anchor(g, a);
                        after = a.seq();
                    }
                    if (done) {
                        break;
                    }
                }
            }
            g.writeEndArray();
            if (head != null) {
                g.writeFieldName("head");
                anchor(g, head);
            }
            g.writeArrayFieldStart("keys");
            for (Map.Entry<String, PublicKey> key : keys.entrySet()) {
                g.writeStartObject();
                g.writeStringField("kid", key.getKey());
                g.writeStringField("publicKey", Pem.encode(key.getValue()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** Verifies entries {@code firstSeq..lastSeq} of the database as their bundle would be verified. */
    public static VerificationResult verifyRange(Connection c, long firstSeq, long lastSeq, Map<String, PublicKey> keys)
            throws SQLException {
        ByteArrayOutputStream bundle = new ByteArrayOutputStream();
        try {
            write(c, firstSeq, lastSeq, null, null, keys, bundle);
            return verify(new ByteArrayInputStream(bundle.toByteArray())).result();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a bundle in memory", e);
        }
    }

    /**
     * Verifies a bundle alone: every entry's hash and link, every checkpoint's and the head's signature, and that the
     * last entry is one the gateway signed.
     *
     * @throws IllegalArgumentException when it is not a readable bundle
     */
    public static Check verify(InputStream in) throws IOException {
        JsonNode bundle;
        try {
            bundle = JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a Tsunagi audit bundle: not JSON");
        }
        if (bundle == null || !FORMAT.equals(bundle.path("format").asText()) || bundle.path("version").asInt() != 1) {
            throw new IllegalArgumentException("not a Tsunagi audit bundle (format " + FORMAT + ", version 1)");
        }
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        List<String> fingerprints = new ArrayList<>();
        for (JsonNode key : bundle.path("keys")) {
            PublicKey publicKey = Pem.parsePublicKey(key.path("publicKey").asText());
            keys.put(key.path("kid").asText(), publicKey);
            fingerprints.add(key.path("kid").asText() + " sha256:" + fingerprint(publicKey));
        }
        try {
            return new Check(new Walk(KeyResolver.of(keys)).verify(bundle), fingerprints);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("not a Tsunagi audit bundle: a member is missing or malformed");
        }
    }

    /** Hex SHA-256 of the key's SubjectPublicKeyInfo: what to compare with the published key. */
    public static String fingerprint(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** {first, last} seq of the entries with {@code from <= at < to}; first > last when there is none. */
    static long[] seqRange(Connection c, OffsetDateTime from, OffsetDateTime to) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT MIN(seq), MAX(seq) FROM audit_entry WHERE at >= ? AND at < ?")) {
            s.setObject(1, from == null ? OffsetDateTime.parse("1970-01-01T00:00:00Z") : from);
            s.setObject(2, to == null ? OffsetDateTime.parse("9999-12-31T00:00:00Z") : to);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                long first = rs.getLong(1);
                return rs.wasNull() ? new long[] {1, 0} : new long[] {first, rs.getLong(2)};
            }
        }
    }

    private static void anchor(JsonGenerator g, AuditRows.Anchor a) throws IOException {
        g.writeStartObject();
        g.writeNumberField("seq", a.seq());
        g.writeStringField("at", a.at() == null ? null : AuditTime.canonical(a.at()));
        g.writeStringField("entryHash", a.entryHash());
        g.writeStringField("kid", a.kid());
        g.writeStringField("signature", a.signature());
        if (a.checkpoints() != null) { // the head's commitment to the checkpoints, part of what it signs
            g.writeNumberField("checkpoints", a.checkpoints().count());
            g.writeNumberField("checkpointSeq", a.checkpoints().lastSeq());
        }
        g.writeEndObject();
    }

    private static AuditRows.Anchor anchor(JsonNode n) {
        AuditRows.Checkpoints checkpoints = n.hasNonNull("checkpoints")
                ? new AuditRows.Checkpoints(n.get("checkpoints").asLong(), n.path("checkpointSeq").asLong()) : null;
        return new AuditRows.Anchor(n.path("seq").asLong(), n.hasNonNull("at") ? OffsetDateTime.parse(n.get("at").asText()) : null,
                text(n, "entryHash"), text(n, "kid"), text(n, "signature"), checkpoints);
    }

    private static String text(JsonNode n, String member) {
        return n.hasNonNull(member) ? n.get(member).asText() : null;
    }

    /** One bundle's check. */
    private static final class Walk {
        private final KeyResolver keys;
        private final AuditEntry.ChainHash hash = new AuditEntry.ChainHash();

        Walk(KeyResolver keys) {
            this.keys = keys;
        }

        VerificationResult verify(JsonNode bundle) {
            Map<Long, AuditRows.Anchor> checkpoints = new HashMap<>();
            for (JsonNode cp : bundle.path("checkpoints")) {
                AuditRows.Anchor a = anchor(cp);
                checkpoints.put(a.seq(), a);
            }
            AuditRows.Anchor head = bundle.hasNonNull("head") ? anchor(bundle.get("head")) : null;
            long headSeq = head == null ? -1 : head.seq();
            String headHash = head == null ? null : head.entryHash();
            long entries = 0;
            long checked = 0;
            long expected = -1;
            long lastAnchored = 0;
            String prev = null;
            for (JsonNode n : bundle.path("entries")) {
                AuditEntry e = new AuditEntry(n.path("seq").asLong(), OffsetDateTime.parse(n.get("at").asText()),
                        text(n, "actor"), text(n, "action"), text(n, "messageId"), text(n, "referralId"),
                        text(n, "subjectRef"), text(n, "dataCategories"), text(n, "basis"), text(n, "outcome"),
                        text(n, "code"), text(n, "prevHash"), text(n, "entryHash"));
                long s = e.seq();
                if (expected < 0) {
                    lastAnchored = s - 1;
                    if (s == 1 && !AuditEntry.GENESIS_HASH.equals(e.prevHash())) {
                        return tampered(entries, checked, headSeq, headHash, 1, Tampering.CHANGED,
                                "seq 1 does not start from the genesis hash");
                    }
                } else if (s != expected) {
                    return tampered(entries, checked, headSeq, headHash, expected, Tampering.DELETED,
                            "seq " + expected + " is missing from the bundle (the next entry is seq " + s + ")");
                } else if (!prev.equals(e.prevHash())) {
                    return tampered(entries, checked, headSeq, headHash, s, Tampering.REORDERED,
                            "its prevHash is not the entryHash of seq " + (s - 1));
                }
                if (!hash.of(e.prevHash(), e.canonical()).equals(e.entryHash())) {
                    return tampered(entries, checked, headSeq, headHash, s, Tampering.CHANGED,
                            "its content does not match its entryHash: a field of seq " + s + " was changed");
                }
                AuditRows.Anchor cp = checkpoints.remove(s);
                if (cp != null) {
                    String problem = AuditSignatures.problem(keys, cp.signature(), AuditSignatures.CHECKPOINT, cp.seq(),
                            cp.entryHash(), cp.at());
                    if (problem != null) {
                        return tampered(entries, checked, headSeq, headHash, s, missing(cp.signature()),
                                "the checkpoint at seq " + s + " is not signed by the gateway (" + problem + ")");
                    }
                    if (!cp.entryHash().equals(e.entryHash())) {
                        return tampered(entries, checked, headSeq, headHash, lastAnchored + 1, Tampering.REWRITTEN,
                                "the hash at seq " + s + " is not the one the gateway signed in its checkpoint: entries "
                                        + "from seq " + (lastAnchored + 1) + " to " + s + " were changed and their "
                                        + "hashes recomputed");
                    }
                    lastAnchored = s;
                    checked++;
                }
                prev = e.entryHash();
                expected = s + 1;
                entries++;
            }
            long last = expected - 1;
            if (!checkpoints.isEmpty()) {
                long beyond = checkpoints.keySet().stream().min(Long::compare).orElseThrow();
                return tampered(entries, checked, headSeq, headHash, Math.max(last + 1, 1), Tampering.TRUNCATED,
                        "a signed checkpoint names seq " + beyond + ", which is not among the bundle's entries");
            }
            if (head == null) {
                return tampered(entries, checked, headSeq, headHash, Math.max(last, 1), Tampering.MISSING_SIGNATURE,
                        "the bundle has no signed head");
            }
            boolean genesis = head.seq() == 0 && head.signature() == null && AuditEntry.GENESIS_HASH.equals(head.entryHash());
            String headProblem = genesis ? null
                    : AuditSignatures.problem(keys, head, AuditSignatures.HEAD);
            if (headProblem != null) {
                return tampered(entries, checked, headSeq, headHash, Math.max(head.seq(), 1), missing(head.signature()),
                        "the head (naming seq " + head.seq() + ") is not signed by the gateway (" + headProblem + ")");
            }
            if (entries > 0 && head.seq() == last && !head.entryHash().equals(prev)) {
                return tampered(entries, checked, headSeq, headHash, lastAnchored + 1, Tampering.REWRITTEN,
                        "the hash at seq " + last + " is not the one the gateway signed in its head: entries from seq "
                                + (lastAnchored + 1) + " to " + last + " were changed and their hashes recomputed");
            }
            if (entries > 0 && head.seq() < last) {
                return tampered(entries, checked, headSeq, headHash, head.seq() + 1, Tampering.INSERTED,
                        "the signed head names seq " + head.seq() + " but the bundle goes on to seq " + last);
            }
            if (entries > 0 && lastAnchored != last && head.seq() != last) {
                return tampered(entries, checked, headSeq, headHash, last + 1, Tampering.TRUNCATED,
                        "the bundle ends at seq " + last + ", which neither a signed checkpoint nor the signed head "
                                + "names: entries after it were removed from the bundle");
            }
            return VerificationResult.intact(entries, checked, headSeq, headHash);
        }

        private static VerificationResult tampered(long entries, long checked, long headSeq, String headHash, long seq,
                Tampering kind, String detail) {
            return VerificationResult.tampered(entries, checked, headSeq, headHash, seq, kind, detail);
        }

        private static Tampering missing(String signature) {
            return signature == null || signature.isBlank() ? Tampering.MISSING_SIGNATURE : Tampering.FORGED_SIGNATURE;
        }
    }
}
