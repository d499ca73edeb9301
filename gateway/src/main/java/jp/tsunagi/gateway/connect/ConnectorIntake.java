package jp.tsunagi.gateway.connect;

import jp.tsunagi.schema.JapanTime;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import jp.tsunagi.connectors.mapping.MappedRecord;
import jp.tsunagi.connectors.mapping.Mapping;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.config.AgencyKeys;
import jp.tsunagi.gateway.intake.IntakeService;
import jp.tsunagi.gateway.intake.Rejection;
import jp.tsunagi.gateway.intake.StoreUnavailableException;
import jp.tsunagi.gateway.intake.Submission;
import jp.tsunagi.schema.TsunagiSchema;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.signature.MessageSignatures;
import jp.tsunagi.schema.signature.SigningKey;
import jp.tsunagi.schema.validation.Problem;

/**
 * Takes a native document from an agency system (a tax desk's fixed-width file, a Hello Work CSV, a welfare office's
 * own XML) and submits each record as a message of that agency, through the same intake as every other message:
 * signature, schema, consent, lifecycle, audit. The connector speaks for an agency system that cannot sign
 * (X-Road's security server does the same for its members): it signs with the agency's key from the key directory.
 *
 * <p>A record's messageId is derived from the agency, the mapping and the SHA-256 of the record's bytes, so a file
 * delivered twice yields the same ids and the second delivery is reported as duplicates, never accepted twice.
 */
public final class ConnectorIntake {

    private final IntakeService intake;
    private final AgencyDirectory agencies;
    private volatile Mappings mappings;
    private final Path keyDirectory;
    private final Clock clock;
    private final Map<String, SigningKey> keys = new ConcurrentHashMap<>();

    public ConnectorIntake(IntakeService intake, AgencyDirectory agencies, Mappings mappings, Path keyDirectory, Clock clock) {
        this.intake = intake;
        this.agencies = agencies;
        this.mappings = mappings;
        this.keyDirectory = keyDirectory;
        this.clock = clock;
    }

    /** Told of each record taken in (for the metrics): the agency, what became of it, its code, how long it took. */
    @FunctionalInterface
    public interface Observer {
        void record(String agencyId, BatchResult.Status status, String code, java.time.Duration took);
    }

    private volatile Observer observer = (agency, status, code, took) -> { };

    public ConnectorIntake observedBy(Observer observer) {
        this.observer = java.util.Objects.requireNonNull(observer);
        return this;
    }

    /** Audits a file a file source set aside unread ({@link FolderNameGuard}). */
    public void fileSetAside(String code, String outcome) {
        intake.auditFileSetAside(code, outcome);
    }

    public Mappings mappings() {
        return mappings;
    }

    /** Reads the next documents with these mappings (a reload of conf/mappings/, checked before). */
    void useMappings(Mappings reloaded) {
        this.mappings = reloaded;
    }

    public AgencyDirectory agencies() {
        return agencies;
    }

    /** Where the agencies' private keys are (the connector signs for systems that cannot). */
    public Path keyDirectory() {
        return keyDirectory;
    }

    /**
     * Submits every record of the document, each on its own: one bad record is rejected with its reason, the others
     * go on. Each record is read with the first of the named mappings whose layout it has ({@link Mapping#read(List,
     * byte[])}): a file may mix record types. A document refused as a whole (a CSV header lacking a mapped column,
     * no mapping reading it) is one rejected line numbered 0.
     *
     * @throws IllegalArgumentException if the agency is unknown or has no key (a configuration error, not a record's)
     * @throws StoreUnavailableException if the durable store failed: the document is to be delivered again
     */
    public BatchResult submit(String agencyId, String mappingNames, String source, byte[] document) {
        SigningKey key = keys.computeIfAbsent(agencyId, id -> AgencyKeys.signingKey(agencies, keyDirectory, id));
        List<BatchResult.Line> lines = new ArrayList<>();
        for (MappedRecord record : Mapping.read(mappings.named(mappingNames), document)) {
            // a store outage is not a record's fault: submit throws, the whole document must be tried again, and
            // re-delivery finds the records accepted so far as duplicates
            long started = System.nanoTime();
            BatchResult.Line line = submit(agencyId, key, record);
            observer.record(agencyId, line.status(), line.code() == null ? "accepted" : line.code(),
                    java.time.Duration.ofNanos(System.nanoTime() - started));
            lines.add(line);
        }
        return new BatchResult(source, List.copyOf(lines));
    }

    private BatchResult.Line submit(String agencyId, SigningKey key, MappedRecord record) {
        if (!record.ok()) {
            audited(intake.refuseUnmapped(agencyId, record.problem().code(), record.number() == 0
                    ? "No record of the document was read." : "The record cannot be read."));
            return new BatchResult.Line(record.number(), BatchResult.Status.REJECTED, null, null,
                    record.problem().code(), record.problem().reason());
        }
        ObjectNode message = complete(agencyId, record.mapping(), record);
        String messageId = message.get("messageId").asText();
        String referralId = message.path("referralId").asText(null);
        if (intake.isKnown(messageId)) {
            return new BatchResult.Line(record.number(), BatchResult.Status.DUPLICATE, referralId, messageId,
                    "message.duplicate", "this record was accepted before");
        }
        byte[] signed = MessageSignatures.sign(JsonCodec.write(message), key);
        Submission outcome = intake.submit(signed, "application/json", agencyId);
        if (outcome instanceof Submission.StoreUnavailable) {
            throw new StoreUnavailableException();
        }
        if (!(outcome instanceof Submission.Refused refused)) {
            return new BatchResult.Line(record.number(), outcome instanceof Submission.Repeat ? BatchResult.Status.DUPLICATE
                    : BatchResult.Status.ACCEPTED, referralId, messageId, null, null);
        }
        Rejection r = refused.rejection();
        return new BatchResult.Line(record.number(), BatchResult.Status.REJECTED, referralId, messageId, r.code(), reason(r));
    }

    /**
     * Refuses a whole document before reading it (a client that is not the agency): audited, and answered as a
     * result with one rejected line.
     */
    public BatchResult refuse(String agencyId, String source, int status, String code, String reason) {
        audited(intake.refuseUnmapped(agencyId, status, code, reason));
        return new BatchResult(source, List.of(new BatchResult.Line(0, BatchResult.Status.REJECTED, null, null, code, reason)));
    }

    /** A refusal that could not be audited is not reported as one: the whole document must come again. */
    private static void audited(Submission refusal) {
        if (refusal instanceof Submission.StoreUnavailable) {
            throw new StoreUnavailableException();
        }
    }

    /** The envelope the native record does not carry: ids, time, sender, version. */
    private ObjectNode complete(String agencyId, Mapping mapping, MappedRecord record) {
        ObjectNode fields = record.message();
        ObjectNode message = JsonCodec.mapper().createObjectNode();
        UUID id = UUID.nameUUIDFromBytes((agencyId + "\n" + mapping.name() + "\n" + record.rawSha256()).getBytes(StandardCharsets.UTF_8));
        message.put("messageId", id.toString());
        message.put("messageType", mapping.messageType());
        message.put("schemaVersion", TsunagiSchema.VERSION);
        message.put("createdAt", OffsetDateTime.now(clock).withOffsetSameInstant(JapanTime.OFFSET).truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        message.put("sender", agencyId);
        fields.remove("messageType");
        message.setAll(fields);
        return message;
    }

    /** The rejection's title, then each problem's path and detail (these never repeat a message value). */
    private static String reason(Rejection r) {
        StringBuilder reason = new StringBuilder(r.title());
        for (Problem p : r.problems()) {
            reason.append(" ").append(p.path() == null ? "" : p.path() + ": ").append(p.detail() == null ? "" : p.detail());
        }
        return reason.toString().strip();
    }
}
