package jp.tsunagi.gateway.app;

import jp.tsunagi.gateway.policy.Minimizer;
import jp.tsunagi.gateway.policy.ConsentEngine;
import jp.tsunagi.gateway.intake.GatewayMessages;
import jp.tsunagi.gateway.intake.IntakeService;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditEvent;
import jp.tsunagi.gateway.audit.AuditSequencer;
import jp.tsunagi.gateway.audit.CheckpointPolicy;
import jp.tsunagi.gateway.audit.GatewayPublicKeys;
import jp.tsunagi.gateway.console.Console;
import jp.tsunagi.gateway.console.ConsoleRoutes;
import jp.tsunagi.gateway.console.ConsoleSettings;
import jp.tsunagi.gateway.console.RunningGateway;
import jp.tsunagi.gateway.config.KeyInventory;
import jp.tsunagi.gateway.audit.Disclosure;
import jp.tsunagi.gateway.audit.ProvisionRecords;
import jp.tsunagi.gateway.people.ConsentRegister;
import jp.tsunagi.gateway.people.PersonDisclosure;
import jp.tsunagi.gateway.audit.SubjectPseudonyms;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.operations.Operations;
import jp.tsunagi.gateway.settings.Settings;
import jp.tsunagi.gateway.settings.SettingsFile;
import jp.tsunagi.gateway.connect.ConnectorIntake;
import jp.tsunagi.gateway.connect.ConnectorTransport;
import jp.tsunagi.gateway.connect.Mappings;
import jp.tsunagi.gateway.connect.RouteTransport;
import jp.tsunagi.gateway.connect.ConnectorHttpClients;
import jp.tsunagi.gateway.connect.TsunagiComponent;
import jp.tsunagi.gateway.delivery.DeliveryWorker;
import jp.tsunagi.gateway.escalation.EscalationScanner;
import jp.tsunagi.gateway.delivery.HttpTransport;
import jp.tsunagi.gateway.delivery.Transport;
import jp.tsunagi.gateway.http.GatewayServer;
import jp.tsunagi.gateway.http.ServerTls;
import jp.tsunagi.gateway.policy.PolicyConfig;
import jp.tsunagi.gateway.policy.ReferralLifecycle;
import jp.tsunagi.gateway.referral.GatewayStatusNotice;
import jp.tsunagi.gateway.referral.ReferralLedger;
import jp.tsunagi.gateway.store.Database;
import jp.tsunagi.gateway.store.MessageStore;
import jp.tsunagi.gateway.store.OutboxQueue;
import jp.tsunagi.gateway.store.PayloadCipher;
import jp.tsunagi.gateway.store.RetentionPurger;
import jp.tsunagi.gateway.store.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.Pem;
import jp.tsunagi.schema.signature.SigningKey;

/**
 * The running gateway: configuration, durable store, audit chain, intake, HTTP server and delivery workers.
 * It refuses to start on bad configuration or a missing gateway key (fail closed) rather than run half-armed.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private final Database database;
    private final DeliveryWorker workers;
    private final GatewayServer server;
    private final ScheduledExecutorService housekeeping;
    private final AuditSequencer sequencer;

    private Gateway(Database database, DeliveryWorker workers, GatewayServer server, ScheduledExecutorService housekeeping,
            AuditSequencer sequencer) {
        this.database = database;
        this.workers = workers;
        this.server = server;
        this.housekeeping = housekeeping;
        this.sequencer = sequencer;
    }

    public static Gateway start(GatewaySettings settings) throws Exception {
        return start(settings, null, Clock.systemDefaultZone());
    }

    /** @param transport how copies reach recipients; null for HTTP to each agency's connector endpoint */
    public static Gateway start(GatewaySettings settings, Transport transport, Clock clock) throws Exception {
        AgencyDirectory agencies = AgencyDirectory.inConfDirectory(settings.confDirectory());
        PolicyConfig policy = PolicyConfig.inConfDirectory(settings.confDirectory());
        List<String> policyProblems = policy.validate(agencies);
        if (!policyProblems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", policyProblems));
        }
        String gatewayId = agencies.gateway().id();
        var keyFile = KeyMaterial.privateKeyFile(settings.keyDirectory(), gatewayId);
        if (!Files.isRegularFile(keyFile)) {
            throw new IllegalArgumentException("no gateway key at " + keyFile + ": run 'tsunagi keys init' first");
        }
        SigningKey gatewayKey = new SigningKey(agencies.signingKid(gatewayId), Pem.readPrivateKey(keyFile));
        ServerTls tls = ServerTls.load(settings.tls(), settings.keyDirectory(), agencies); // null: plain HTTP
        PayloadCipher cipher = PayloadCipher.fromKeyDirectory(settings.keyDirectory());
        Database database = Database.open(settings.dbUrl(), settings.dbUser(), settings.dbPassword());
        AuditSequencer sequencer = null;
        try {
            MessageStore store = new MessageStore(cipher, clock);
            AuditChain audit = new AuditChain(gatewayKey, CheckpointPolicy.DEFAULT, clock);
            GatewayMetrics metrics = new GatewayMetrics().readingOutboxOf(database.dataSource(), clock);
            Mappings mappings = Mappings.inConfDirectory(settings.confDirectory());
            ReferralLedger ledger = new ReferralLedger(store, audit, agencies, new GatewayStatusNotice(gatewayKey, gatewayId),
                    new ReferralLifecycle());
            RouteTransport routeTransport = new RouteTransport(id -> agencies.agency(id).map(a -> a.connector()),
                    settings.delivery().attemptLimit());
            Transactions.inTransaction(database.dataSource(), c -> {
                SuspensionAudit.recordChanges(c, audit, agencies);
                return null;
            });
            // the settings GatewaySettings does not carry, read once from the same checked file
            SettingsFile declared = SettingsFile.load(settings.confDirectory());
            // the one chainer of all nodes links committed entries into the signed chain (docs/architecture.md D12)
            Duration chainDelay = declared.get(Settings.AUDIT_CHAIN_DELAY);
            sequencer = AuditSequencer.start(audit, database.dataSource(),
                    AuditSequencer.Leadership.of(database.dataSource(), database::dedicatedConnection), chainDelay, clock);
            metrics.auditChain(sequencer);
            DeliveryWorker workers = new DeliveryWorker(database.dataSource(), new OutboxQueue(cipher, agencies.suspendedIds()),
                    transport != null ? transport : new ConnectorTransport(id -> agencies.agency(id).map(a -> a.connector()),
                            HttpTransport.create(agencies, settings.delivery()), routeTransport),
                    new DeliveryAudit(audit, metrics, ledger, gatewayId), settings.delivery(), clock);
            IntakeService.Records records = new IntakeService.Records(database.dataSource(), store, audit,
                    new ProvisionRecords(clock), SubjectPseudonyms.inKeyDirectory(settings.keyDirectory()));
            IntakeService service = new IntakeService(new IntakeService.Lawfulness(agencies, policy,
                    new ConsentEngine(policy, records.withdrawals()), new Minimizer()), records, ledger,
                    new GatewayMessages(gatewayKey, gatewayId), settings.intake(), clock, workers::wakeUp);
            workers.start();
            GatewayServer server = GatewayServer.start(new GatewayIntake(service, database.dataSource(), store, agencies,
                    metrics, workers::isRunning, clock, sequencer, AuditChain.overdueAfter(chainDelay)), settings.host(), settings.port(), settings.intake().maxMessageBytes() + 64 * 1024L,
                    tls, new GatewayServer.Routes(settings.confDirectory(), new TsunagiComponent(
                            new ConnectorIntake(service, agencies, mappings, settings.keyDirectory(), clock)
                                    .observedBy((agency, status, code, took) -> metrics.intake("connector", agency,
                                            status.name().toLowerCase(java.util.Locale.ROOT), code, took)),
                            tls == null ? null : tls.clients(),
                            ConnectorHttpClients.from(declared))));
            routeTransport.routesStarted(server.producerTemplate());
            server.addRoutes(new ConsoleRoutes(new Console(database.dataSource(), audit,
                    GatewayPublicKeys.of(agencies, settings.keyDirectory()), agencies.agencies().stream().map(a -> a.id()).toList(),
                    ConsoleSettings.inConfDirectory(settings.confDirectory()), tls != null, clock)
                    .showingConfiguration(() -> configurationState(server))
                    .showingGateway(running(settings, agencies, policy, server))
                    .operating(Operations.of(database.dataSource(), audit, cipher, agencies.suspendedIds(),
                            declared.get(Settings.CONSOLE_REQUEUE_APPROVAL), clock,
                            workers::wakeUp))
                    .servingConsentsAndDisclosure(new ConsentRegister(store), service, new PersonDisclosure(
                            new Disclosure(audit, records.provisions()), records.pseudonyms()))));
            ScheduledExecutorService housekeeping = retention(settings, database, audit, gatewayId, clock);
            EscalationScanner.schedule(housekeeping, new EscalationScanner(database.dataSource(), store, ledger,
                    gatewayKey, gatewayId, settings.escalation(), clock, workers::wakeUp));
            return new Gateway(database, workers, server, housekeeping, sequencer);
        } catch (Exception e) {
            if (sequencer != null) {
                sequencer.close();
            }
            database.close();
            throw e;
        }
    }

    /**
     * Payloads are purged once their retention has passed (hourly check); audit entries are kept, and provision
     * records until their 3 years (提供記録の保存期間) are over. Each purge is audited.
     */
    private static ScheduledExecutorService retention(GatewaySettings settings, Database database, AuditChain audit,
            String gatewayId, Clock clock) {
        RetentionPurger purger = new RetentionPurger(database.dataSource(), settings.retention(), clock,
                (c, kind, messageId, at) -> audit.append(c, AuditEvent.of(AuditAction.RETENTION_PURGED, gatewayId)
                        .withMessage(messageId, null).withOutcome("purged." + kind.name())));
        ProvisionRecords provisions = new ProvisionRecords(clock);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tsunagi-retention");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                purger.purge();
                Transactions.inTransaction(database.dataSource(), provisions::purgeExpired);
            } catch (SQLException | RuntimeException e) {
                LOG.warn("retention: purge failed ({}), retried in an hour", e.getClass().getSimpleName());
            }
        }, 1, 60, TimeUnit.MINUTES);
        return scheduler;
    }

    /** What the console's dashboard and agencies page show of the running gateway, read when a page is shown. */
    private static RunningGateway running(GatewaySettings settings, AgencyDirectory agencies, PolicyConfig policy,
            GatewayServer server) {
        return new RunningGateway(() -> agencies, () -> policy, () -> KeyInventory.of(agencies, settings.keyDirectory()),
                () -> server.connectorStates().stream()
                        .map(s -> new RunningGateway.RouteState(s.route(), s.status(), s.failure())).toList(),
                () -> {
                    ConfigurationCheck check = ConfigurationCheck.of(settings.confDirectory());
                    return new RunningGateway.ConfigurationCheck(check.problems(), check.warnings(), check.suspensions());
                });
    }

    /** The connector reload's state as the console shows it (null without connector routes). */
    private static Console.ConfigurationState configurationState(GatewayServer server) {
        var status = server.reloadStatus();
        return status == null ? null : new Console.ConfigurationState(status.changes(), status.at(), status.error());
    }

    public int port() {
        return server.port();
    }

    public Database database() {
        return database;
    }

    /**
     * Chains every audit entry committed so far, here and now, and returns how many this call chained: what a test
     * waits on before it reads the chain (the sequencer does it within the chain delay anyway).
     */
    public long awaitAuditChained() throws SQLException {
        return sequencer.chainCommitted();
    }

    /**
     * Stops taking messages first, then lets in-flight deliveries finish, then chains the audit entries they wrote,
     * then closes the store.
     */
    @Override
    public void close() {
        housekeeping.shutdownNow();
        server.close();
        workers.stop();
        sequencer.close();
        database.close();
    }
}
