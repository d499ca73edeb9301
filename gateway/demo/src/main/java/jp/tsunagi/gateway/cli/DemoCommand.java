package jp.tsunagi.gateway.cli;

import jp.tsunagi.schema.JapanTime;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.sql.DataSource;
import jp.tsunagi.gateway.audit.AuditExport;
import jp.tsunagi.gateway.audit.AuditVerifier;
import jp.tsunagi.gateway.audit.VerificationResult;
import jp.tsunagi.gateway.config.Agency;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.config.AgencyKeys;
import jp.tsunagi.gateway.app.Gateway;
import jp.tsunagi.gateway.app.GatewaySettings;
import jp.tsunagi.gateway.settings.Settings;
import jp.tsunagi.gateway.settings.SettingsFile;
import jp.tsunagi.schema.CodeLists;
import jp.tsunagi.schema.DataCategories;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.codec.XmlCodec;
import jp.tsunagi.schema.model.Basis;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.model.ReferralStatus;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.MessageSignatures;
import jp.tsunagi.schema.signature.SigningKey;
import jp.tsunagi.schema.validation.MessageReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tsunagi demo}: the gateway on embedded defaults with a simulated system for each agency, every flow F1-F10
 * sent through it the way each sender's system sends (its own format and transport where its connector is a route),
 * the refusals that protect a person's data, and the audit trail verified; then the gateway keeps running for the
 * newcomer to explore until Ctrl-C.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "Run the demonstration on embedded defaults: keys under data/keys (created on first run), the H2 "
                        + "database of gateway.properties (data/tsunagi), the fictitious municipality つなぎ市 of conf/ (with the "
                        + "demo's own settings, see --conf), "
                        + "and a simulated system (模擬システム) for each agency, built from its connector: a shared-schema "
                        + "receiver for kind http; for kind route what its route reads and writes (a folder, an SFTP "
                        + "server, an HTTP API, under data/exchange).",
                "",
                "Sends the sample of every flow F1-F10 (schemas/samples) the way its sender's system would (a signed "
                        + "message, or its own document written with its mapping into its folder, onto its SFTP server "
                        + "or POSTed to its connector), the status updates back and a consent withdrawal, and shows what "
                        + "each system received in its own format and what minimization removed; then the refusals (tax "
                        + "data without consent, a changed message, another agency's key, a withdrawn consent) and the "
                        + "audit trail verified. The gateway then keeps running until Ctrl-C or SIGTERM, which close it "
                        + "cleanly (or stops at once with --exit).",
                "",
                "Standard output holds the story alone: log lines go to data/logs/demo.log (the last run's). The story "
                        + "ends with what to do next: the console and its login, a fresh message to send with 'send' "
                        + "(data/demo/send-me.json), the exchanged files, the audit commands and the guides.",
                ""},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every flow behaved as expected (also when then stopped by Ctrl-C or SIGTERM)", "1:a flow did not",
                "2:bad configuration, port in use, or usage"})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--samples", paramLabel = "DIR",
            description = "Sample messages. Default: schemas/samples of the Tsunagi installation.")
    Path samples;

    @Option(names = "--exchange", paramLabel = "DIR",
            description = "Where the simulated SFTP servers keep their files (folders are those of conf/routes). Default: data/exchange.")
    Path exchange = Path.of("data", "exchange");

    @Option(names = "--exit", description = "Stop after the story instead of leaving the gateway running.")
    boolean exit;

    @Option(names = "--conf", paramLabel = "DIR",
            description = "Configuration directory. Default: the demo's own, written afresh into " + DEMO_CONF + " from conf/ "
                    + "(agencies, policy, routes, mappings) and gateway/demo/conf/gateway.properties (its settings: the "
                    + "local simulated systems, their password, the pinned host key of its SFTP server).")
    Path confDirectory;

    /** Where the demo writes its configuration (conf/ with the demo's settings) unless --conf names one. */
    static final String DEMO_CONF = "data/demo/conf";

    private final HttpClient client = HttpClient.newHttpClient();
    private final MessageReader reader = new MessageReader();
    /** Suffix of this run's referral and consent ids, so that a second run is a new story, not a replay. */
    private final String run = runLetters();
    private PrintStream out;
    /** What did not behave as expected, in the order of the story (empty: every flow did). */
    private final List<String> misbehaved = new java.util.ArrayList<>();
    /** Each accepted message of the story is delivered as one copy (F10: one notice to the one agency that received data). */
    private int expectedCopies;
    private AgencyDirectory agencies;
    private Path keys;
    private URI gatewayUri;
    private DemoSystems systems;

    @Override
    public Integer call() {
        out = Terminal.out();
        Gateway gateway = null;
        // Ctrl-C or SIGTERM at any point ends the demo cleanly with 0 (contract section 2): during the story it stops
        // after the step under way, afterwards while it waits
        StopSignal stop = StopSignal.install();
        try {
            Path conf = confDirectory != null ? confDirectory
                    : DemoConfiguration.assemble(Path.of(System.getProperty("tsunagi.home", ".")), Path.of(DEMO_CONF));
            agencies = AgencyDirectory.inConfDirectory(conf);
            // the demo's own database, that of its settings file, even where TSUNAGI_DB_URL names another (production's)
            GatewaySettings settings = GatewaySettings.load(conf)
                    .withDb(SettingsFile.load(conf, variable -> null).get(Settings.DB_URL));
            keys = settings.keyDirectory();
            out.println("Tsunagi (つなぎ) demo: " + agencies.agencies().size() + " agencies of " + agencies.source());
            out.println();
            out.println("1. Keys (鍵) in " + keys + ": " + createKeys());
            systems = DemoSystems.start(agencies, conf, exchange);
            gateway = Gateway.start(settings);
            if (stop.requested()) {
                return stopped();
            }
            gatewayUri = URI.create("http://" + settings.host() + ":" + gateway.port());
            out.println("   Gateway listening on " + gatewayUri + "; simulated agency systems (模擬システム):");
            systems.describe().forEach(line -> out.println("     " + line));
            out.println();
            out.println("2. Every flow, as its sender's system sends it, through the gateway (受付 → 同意の確認 → 最小化 → 署名 → 配信)");
            flows();
            minimized(gateway);
            withdrawalCancelsAnUndeliveredCopy(gateway);
            if (stop.requested()) {
                return stopped();
            }
            out.println();
            out.println("3. What is refused, and why (stable codes; no personal data in any answer)");
            refusals();
            if (stop.requested()) {
                return stopped();
            }
            out.println();
            gateway.awaitAuditChained(); // what the sequencer does within its delay: verify the whole trail of this run
            VerificationResult audit = new AuditVerifier(agencies.keyResolver()).verify(gateway.database().dataSource());
            behaved(audit.intact(), "the audit trail");
            out.println("4. Audit trail (監査ログ): " + audit.summary());
            out.println();
            out.println("5. Console (管理画面): " + gatewayUri + "/admin/ - log in as " + DemoAccount.NAME + " (監査者) with the password "
                    + DemoAccount.prepare(gateway.database().dataSource(), settings, agencies) + " (new on every run)");
            out.println();
            out.println(misbehaved.isEmpty() ? "Every flow behaved as expected."
                    : "SOME FLOWS DID NOT BEHAVE AS EXPECTED: " + String.join("; ", misbehaved));
            out.println();
            whatNext(conf);
            if (!exit) {
                out.println("The gateway keeps running (" + gatewayUri + "/api/v1/health, /metrics, /openapi.json) until Ctrl-C.");
                stop.await();
            } else {
                out.println("The gateway has stopped (--exit): 'bin/tsunagi demo' keeps it running for the console and send.");
            }
            return misbehaved.isEmpty() ? ExitCodes.OK : ExitCodes.INVALID;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            Terminal.err().println(e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (Exception e) {
            Terminal.err().println("the demo could not run: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")));
            return ExitCodes.BAD_INPUT;
        } finally {
            if (gateway != null) {
                gateway.close();
            }
            if (systems != null) {
                systems.close();
            }
            stop.close();
        }
    }

    /** Stopped by Ctrl-C or SIGTERM before the story's end: said so; the gateway and the systems close in finally. */
    private int stopped() {
        out.println();
        out.println("Stopped (Ctrl-C): the gateway and the simulated systems are closing.");
        return ExitCodes.OK;
    }

    /** The last lines of the story: where to look and what to try, each with its exact command. */
    private void whatNext(Path conf) throws IOException {
        Path message = conf.resolveSibling("send-me.json");
        // F1 again as a new referral under its own consent (the story's consent is withdrawn by then), created now
        Files.write(message, JsonCodec.write(stamp("F1-tax-to-hub", m -> {
            m.put("referralId", runId("T", m.get("referralId").asText()));
            ((ObjectNode) m.at("/referral/basis/consent")).put("consentId", runId("K", m.at("/referral/basis/consent/consentId").asText()));
        })));
        out.println("What next (次に):");
        out.println("  Console (管理画面)     " + gatewayUri + "/admin/ as " + DemoAccount.NAME + ", with the password of step 5");
        out.println("  Send a message        bin/tsunagi send --as tsunagi-tax --conf " + conf + " --keys " + keys + " --url " + gatewayUri
                + " " + message);
        out.println("  Exchanged files       " + exchange + "/: what the simulated systems wrote and read, each in its own format");
        out.println("  Audit trail           bin/tsunagi audit export --conf " + conf + "; bin/tsunagi audit verify --conf " + conf);
        out.println("  Guides                docs/integrator-guide.md (connect an agency), docs/vendor-guide.md (build, sign and send "
                + "from your system), docs/administrator-guide.md (run the gateway)");
        DemoLog.file().ifPresent(log -> out.println("  Log of this run       " + log));
    }

    private String createKeys() {
        List<String> ids = Stream.concat(Stream.of(agencies.gateway().id()), agencies.agencies().stream().map(Agency::id)).toList();
        long created = ids.stream().filter(id -> KeyMaterial.writeFiles(keys, id,
                agencies.agency(id).map(Agency::name).orElse(agencies.gateway().name()))).count();
        return created + " created, " + (ids.size() - created) + " kept";
    }

    /** The flows in an order that makes a story: referrals first, then what their recipients answer. */
    private void flows() throws Exception {
        send("F1-tax-to-hub", m -> { }, MessageFormat.JSON, 202);
        send("F9-hub-to-tax", m -> { }, MessageFormat.JSON, 202);
        send("F2-", m -> { }, MessageFormat.XML, 202);
        send("F3-", m -> { }, MessageFormat.JSON, 202);
        String f3Referral = referralOf("F3-");
        send("F9-welfare", m -> m.put("referralId", f3Referral), MessageFormat.JSON, 202);
        send("F4-hub", m -> {
            ((ObjectNode) m.get("referral")).putObject("health").put("note", "腰痛で通院中");
            ((ArrayNode) m.at("/referral/basis/consent/dataCategories")).add("HEALTH");
        }, MessageFormat.JSON, 202);
        send("F4-hellowork", m -> ((ObjectNode) m.get("statusUpdate")).put("status", "ACCEPTED"), MessageFormat.JSON, 202);
        send("F4-hellowork", m -> { }, MessageFormat.JSON, 202);
        send("F5-", m -> { }, MessageFormat.JSON, 202);
        String f5Referral = referralOf("F5-");
        household(f5Referral);
        send("F9-hub-to-tax", m -> m.put("recipient", "tsunagi-houkatsu").put("referralId", f5Referral), MessageFormat.JSON, 202);
        send("F6-", m -> { }, MessageFormat.JSON, 202);
        String f6Referral = referralOf("F6-");
        send("F9-hub-to-tax", m -> m.put("recipient", "tsunagi-hellowork").put("referralId", f6Referral), MessageFormat.JSON, 202);
        send("F7-", m -> { }, MessageFormat.XML, 202);
        send("F8-hub", m -> { }, MessageFormat.JSON, 202);
        send("F8-houkatsu", m -> { }, MessageFormat.JSON, 202);
        send("F10-", m -> { }, MessageFormat.JSON, 202);
        awaitDeliveries();
        out.println("   Received by the simulated systems, each in its own format:");
        for (Agency agency : agencies.agencies()) {
            List<String> copies = systems.isNative(agency.id()) ? systems.received(agency.id())
                    : systems.sharedBodies(agency.id()).stream().map(this::describeCopy).toList();
            out.println("   " + agency.name() + ": " + copies.size() + " — " + String.join("; ", copies));
        }
    }

    /**
     * 8050 (F5): each person is their own subject. What the hub's copy holds: the son, and of his household only the
     * members on a basis of their own (the mother's own consent); minimization removed the others, by position.
     */
    private void household(String referralId) {
        Message copy = systems.sharedBodies("tsunagi-hub").stream().map(reader::read)
                .filter(m -> m.getReferral() != null && m.getReferralId().equals(referralId)).findFirst().orElseThrow();
        List<Integer> removed = copy.getProvenance().getRemovedMembers();
        behaved(removed.size() == 1 && copy.getReferral().getHousehold().size() == 1, "F5 the household minimized in the hub's copy");
        out.println("        the hub's copy holds the son and " + copy.getReferral().getHousehold().size() + " household member on"
                + " her own consent (母: 本人同意); minimization removed member " + removed
                + " (妹: no basis of her own), listed by position in the provenance, never by name");
    }

    /** What minimization (最小化) removed from which copy, read back from the audit trail as an auditor would. */
    private void minimized(Gateway gateway) throws SQLException, IOException {
        gateway.awaitAuditChained(); // the trail as an auditor reads it: every entry of the flows above in the chain
        StringWriter trail = new StringWriter();
        try (Connection c = gateway.database().dataSource().getConnection()) {
            AuditExport.write(c, null, null, AuditExport.Format.JSONL, trail);
        }
        List<JsonNode> entries = trail.toString().lines().map(line -> JsonCodec.parse(line.getBytes(StandardCharsets.UTF_8))).toList();
        // this run's referrals only: the database keeps the entries of earlier runs in the same folder
        for (JsonNode removed : entries.stream().filter(e -> e.path("action").asText().equals("MINIMIZED")
                && e.path("referralId").asText().startsWith("R" + run)).toList()) {
            String recipient = entries.stream().filter(e -> e.path("action").asText().equals("FORWARD_SCHEDULED")
                    && e.path("referralId").asText().equals(removed.path("referralId").asText()))
                    .map(e -> e.path("outcome").asText().replaceFirst("^to\\.", "")).findFirst().orElse("?");
            out.println("   Minimized (最小化) before it reached " + name(recipient) + ": " + removed.path("dataCategories").asText()
                    + " removed, audit #" + removed.path("seq").asText());
        }
    }

    /**
     * 取消: the hub's system is down, so the welfare office's referral to it waits in the outbox; the person withdraws
     * the consent at the welfare office; the copy is stopped, the referral becomes CANCELLED and the welfare office is
     * told, and the hub, once back, gets the withdrawal only.
     */
    private void withdrawalCancelsAnUndeliveredCopy(Gateway gateway) throws Exception {
        DataSource dataSource = gateway.database().dataSource();
        String referral = runId("R", "-000998");
        String consent = runId("C", "-0998");
        systems.down("tsunagi-hub", true);
        DemoSystems.Sent referred = systems.send(stamp("F2-", m -> {
            m.put("referralId", referral);
            ((ObjectNode) m.at("/referral/basis/consent")).put("consentId", consent);
        }), gatewayUri);
        String attempted = "SELECT COUNT(*) FROM audit_entry WHERE action = 'DELIVERY_ATTEMPT' AND referral_id = ?";
        for (long deadline = System.nanoTime() + 10_000_000_000L; trail(gateway, attempted, referral).equals("0")
                && System.nanoTime() < deadline; ) {
            Thread.sleep(50);
        }
        DemoSystems.Sent withdrawn = systems.send(stamp("F10-", m -> {
            m.put("sender", "tsunagi-welfare").put("recipient", "tsunagi-hub").put("referralId", referral);
            ((ObjectNode) m.get("consentWithdrawal")).put("consentId", consent).put("recordedBy", "tsunagi-welfare");
        }), gatewayUri);
        systems.down("tsunagi-hub", false);
        expectedCopies += 2; // 取消 to the welfare office, the withdrawal to the hub
        awaitDeliveries();
        String status = query(dataSource, "SELECT status FROM referral WHERE referral_id = ?", referral);
        boolean told = !trail(gateway, "SELECT COUNT(*) FROM audit_entry WHERE code = 'notice.cancelled' AND referral_id = ?",
                referral).equals("0");
        behaved(referred.accepted() && withdrawn.accepted() && status.equals("CANCELLED") && told, "取消 the withdrawal that cancels an undelivered copy");
        out.println("   取消: with " + name("tsunagi-hub") + "'s system down, " + name("tsunagi-welfare") + " refers " + referral
                + " (" + referred.outcome() + ") and the person withdraws the consent there (" + withdrawn.outcome()
                + "): the copy is stopped, the referral is " + status + (told ? ", the welfare office heard 取消" : ", NOT TOLD")
                + ", the hub gets the withdrawal only");
    }

    /** A query on the audit trail as of now: the entries committed so far chained first (the sequencer's work). */
    private static String trail(Gateway gateway, String sql, String parameter) throws SQLException {
        gateway.awaitAuditChained();
        return query(gateway.database().dataSource(), sql, parameter);
    }

    private static String query(DataSource dataSource, String sql, String parameter) throws SQLException {
        try (Connection c = dataSource.getConnection(); var s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (var r = s.executeQuery()) {
                return r.next() ? String.valueOf(r.getString(1)) : "none";
            }
        }
    }

    private void refusals() throws Exception {
        // in the tax desk's own format: the record is read, then refused by the consent engine, in its result file
        String yesterday = OffsetDateTime.now(JapanTime.OFFSET).minusDays(1).withHour(23).withMinute(59).withSecond(59)
                .truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        ObjectNode expired = stamp("F1-tax-to-hub", m -> ((ObjectNode) m.at("/referral/basis/consent")).put("expiresAt", yesterday));
        DemoSystems.Sent sent = systems.send(expired, gatewayUri);
        behaved(!sent.accepted() && sent.outcome().endsWith("consent.expired"), "the tax desk record whose consent expired");
        out.println("   a tax desk record whose consent expired yesterday (同意期限切れ), as a " + sent.channel() + ": "
                + sent.outcome() + " in its result file");
        send("F1-tax-to-hub", m -> remove((ArrayNode) m.at("/referral/basis/consent/dataCategories"), "TAX_ARREARS"),
                MessageFormat.JSON, 403, "tax arrears under a consent that does not name them");
        send("F1-tax-to-hub", m -> {
            ObjectNode basis = (ObjectNode) m.at("/referral/basis");
            basis.removeAll();
            basis.putObject("supportMeeting").put("meetingId", "SM-2026-0001");
        }, MessageFormat.JSON, 403, "tax arrears on a support-meeting basis (地方税法第22条)");
        send("F3-", m -> { }, MessageFormat.JSON, 403, "a referral under the consent withdrawn in F10");
        byte[] signed = sign(stamp("F1-tax-to-hub", m -> { }), MessageFormat.JSON, "tsunagi-tax");
        String changed = new String(signed, StandardCharsets.UTF_8).replaceFirst("\"amountYen\" : ([0-9]+)", "\"amountYen\" : 1$1");
        expect(post(changed.getBytes(StandardCharsets.UTF_8), MessageFormat.JSON), 401, "an amount changed after signing");
        expect(post(sign(stamp("F1-tax-to-hub", m -> { }), MessageFormat.JSON, "tsunagi-hub"), MessageFormat.JSON), 401,
                "the tax desk's referral signed with the hub's key");
    }

    private void send(String sample, Consumer<ObjectNode> edit, MessageFormat format, int expected) throws Exception {
        send(sample, edit, format, expected, null);
    }

    private void send(String sample, Consumer<ObjectNode> edit, MessageFormat format, int expected, String refusal) throws Exception {
        ObjectNode message = stamp(sample, edit);
        if (refusal == null && systems.isNative(message.get("sender").asText())) {
            // the sender's own system: its format, its transport, the connector translates and signs
            DemoSystems.Sent sent = systems.send(message, gatewayUri);
            print(sample, reader.readJson(JsonCodec.write(message)), sent.channel(), sent.outcome());
            behaved(sent.accepted() == (expected == 202), flow(sample));
            delivered(message, sent.accepted());
            return;
        }
        HttpResponse<byte[]> answer = post(sign(message, format, message.get("sender").asText()), format);
        if (refusal != null) {
            expect(answer, expected, refusal);
            return;
        }
        print(sample, reader.readJson(JsonCodec.write(message)), format + " signed", outcome(answer));
        behaved(answer.statusCode() == expected, flow(sample));
        delivered(message, answer.statusCode() == 202);
    }

    /**
     * Waits until an accepted message has reached its recipient's system (and, for a referral, the gateway's notice
     * of delivery, 受信, its sender's), as a recipient answers only what it has received: the story stays in order.
     */
    private void delivered(ObjectNode message, boolean accepted) throws InterruptedException {
        if (accepted) {
            expectedCopies += message.path("messageType").asText().equals("REFERRAL") ? 2 : 1;
            awaitDeliveries();
        }
    }

    private void print(String sample, Message m, String channel, String outcome) {
        out.println(String.format("   %-4s %s → %s  %s  [%s: %s]", sample.split("-")[0], name(m.getSender()),
                name(m.getRecipient()), describe(m), channel, outcome));
    }

    private void expect(HttpResponse<byte[]> answer, int status, String what) {
        behaved(answer.statusCode() == status, what);
        out.println("   " + what + ": " + outcome(answer));
    }

    private String outcome(HttpResponse<byte[]> answer) {
        if (answer.statusCode() == 202 || answer.statusCode() == 200) {
            Message receipt = reader.read(answer.body());
            return answer.statusCode() + " 受付, audit #" + receipt.getReceipt().getAuditSeq();
        }
        JsonNode problem = JsonCodec.parse(answer.body());
        return answer.statusCode() + " " + problem.path("code").asText();
    }

    private String describeCopy(byte[] copy) {
        Message m = reader.read(copy);
        String removed = m.getProvenance() == null || m.getProvenance().getRemovedCategories().isEmpty() ? ""
                : " (removed " + m.getProvenance().getRemovedCategories() + ")";
        return m.getMessageType() + (m.getStatusUpdate() == null ? "" : " " + m.getStatusUpdate().getStatus())
                + (m.getSender().equals(agencies.gateway().id()) ? " from the gateway" : "") + removed;
    }

    private static String describe(Message m) {
        return switch (m.getMessageType()) {
            case REFERRAL -> "紹介 " + CodeLists.label(m.getReferral().getPurpose()) + ", " + basis(m.getReferral().getBasis())
                    + ", " + DataCategories.carriedBy(m).size() + " categories";
            case STATUS_UPDATE -> "状況連絡 " + m.getStatusUpdate().getStatus() + " (" + CodeLists.label(m.getStatusUpdate().getStatus()) + ")";
            case CONSENT_WITHDRAWAL -> "同意撤回";
            case RECEIPT -> "受領証";
        };
    }

    private static String basis(Basis basis) {
        if (basis.getConsent() != null) {
            return "本人同意";
        }
        return basis.getSupportMeeting() != null ? "支援会議" : "生命・身体の保護 (要確認)";
    }

    /** The sample with a new messageId, createdAt now and this run's referral and consent ids. */
    private ObjectNode stamp(String sample, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode message = (ObjectNode) JsonCodec.parse(Files.readAllBytes(sampleFile(sample)));
        message.put("messageId", UUID.randomUUID().toString());
        message.put("createdAt", OffsetDateTime.now(JapanTime.OFFSET).truncatedTo(ChronoUnit.SECONDS).minusSeconds(5)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        message.put("referralId", runId("R", message.get("referralId").asText()));
        JsonNode consent = message.at("/referral/basis/consent");
        if (consent instanceof ObjectNode c) {
            c.put("consentId", runId("C", c.get("consentId").asText()));
        }
        if (message.get("consentWithdrawal") instanceof ObjectNode w) {
            w.put("consentId", runId("C", w.get("consentId").asText()));
        }
        edit.accept(message);
        return message;
    }

    private String referralOf(String sample) throws IOException {
        return runId("R", JsonCodec.parse(Files.readAllBytes(sampleFile(sample))).get("referralId").asText());
    }

    /**
     * This run's id for a sample's id, in the form of every identifier (docs/vendor-guide.md, schema 1.2):
     * REF-2026-000123 becomes RQXK-2026-000123, 16 characters, short enough for native id fields.
     */
    private String runId(String prefix, String sampleId) {
        return prefix + run + "-" + java.time.Year.now(JapanTime.ZONE) + sampleId.substring(sampleId.lastIndexOf('-'));
    }

    /** Three capital letters of this run: with the one-letter prefix, the 4 letters an identifier allows. */
    private static String runLetters() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        StringBuilder letters = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            letters.append((char) ('A' + random.nextInt(26)));
        }
        return letters.toString();
    }

    private byte[] sign(ObjectNode message, MessageFormat format, String agency) {
        byte[] document = format == MessageFormat.JSON ? JsonCodec.write(message) : XmlCodec.write(reader.readJson(JsonCodec.write(message)));
        SigningKey key = AgencyKeys.signingKey(agencies, keys, agency);
        return MessageSignatures.sign(document, key);
    }

    private HttpResponse<byte[]> post(byte[] body, MessageFormat format) throws Exception {
        return client.send(HttpRequest.newBuilder(gatewayUri.resolve("/api/v1/messages")).header("Content-Type", format.mediaType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Every accepted copy has reached its simulated system (or 10 s have passed). */
    private void awaitDeliveries() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && delivered() < expectedCopies) {
            Thread.sleep(50);
        }
        behaved(delivered() == expectedCopies, "deliveries: " + delivered() + " of " + expectedCopies
                + " copies reached the simulated systems");
    }

    private int delivered() {
        return systems.receivedCount();
    }

    /** The flow a sample prefix names: F7 for "F7-", F4-hellowork for "F4-hellowork". */
    private static String flow(String sample) {
        return sample.endsWith("-") ? sample.substring(0, sample.length() - 1) : sample;
    }

    /**
     * Notes a step of the story that did not behave as expected, by its name, for the verdict line; once per name (the
     * part before a colon: "deliveries: 20 of 21 ..." is noted the first time the count falls short).
     */
    private void behaved(boolean asExpected, String what) {
        String name = what.split(":")[0];
        if (!asExpected && misbehaved.stream().noneMatch(m -> m.split(":")[0].equals(name))) {
            misbehaved.add(what);
        }
    }

    private Path sampleFile(String prefix) throws IOException {
        Path dir = samples != null ? samples : Path.of(System.getProperty("tsunagi.home", ".")).resolve("schemas/samples");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".json"))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no sample " + prefix + "* in " + dir));
        }
    }

    private String name(String id) {
        return agencies.agency(id).map(Agency::name).orElse(id);
    }

    private static void remove(ArrayNode array, String value) {
        for (int i = array.size() - 1; i >= 0; i--) {
            if (array.get(i).asText().equals(value)) {
                array.remove(i);
            }
        }
    }
}
