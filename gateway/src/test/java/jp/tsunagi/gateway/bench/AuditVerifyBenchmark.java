package jp.tsunagi.gateway.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditEvent;
import jp.tsunagi.gateway.audit.AuditVerifier;
import jp.tsunagi.gateway.audit.CheckpointPolicy;
import jp.tsunagi.gateway.audit.VerificationResult;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.SigningKey;

/**
 * bench/run audit: the audit chain's verification (what {@code tsunagi audit verify} runs) over trails of growing size
 * on an H2 file database: the trail is grown to each size in turn (batches of 10,000 entries), then verified R times.
 * Arguments: SIZES (10000,100000,1000000) RUNS (3) DIR (target/bench-audit-verify). Not a unit test.
 */
public final class AuditVerifyBenchmark {
    private AuditVerifyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long[] sizes = Arrays.stream((args.length > 0 ? args[0] : "10000,100000,1000000").split(","))
                .mapToLong(Long::parseLong).toArray();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Path.of(args.length > 2 ? args[2] : "target/bench-audit-verify").toAbsolutePath()
                .resolve(String.valueOf(System.nanoTime()));
        Files.createDirectories(dir);
        KeyPair gateway = KeyMaterial.generateP256();
        AuditChain chain = new AuditChain(new SigningKey("gateway#1", gateway.getPrivate()), CheckpointPolicy.DEFAULT,
                Clock.systemUTC());
        AuditVerifier verifier = new AuditVerifier(kid -> java.util.Optional.of(gateway.getPublic()));
        try (var db = jp.tsunagi.gateway.store.Database.open("jdbc:h2:file:" + dir.resolve("tsunagi"))) {
            long have = 0;
            for (long size : sizes) {
                have = grow(db.dataSource(), chain, have, size);
                double[] perSecond = new double[runs];
                double[] seconds = new double[runs];
                for (int run = 0; run < runs; run++) {
                    long start = System.nanoTime();
                    VerificationResult result = verifier.verify(db.dataSource());
                    seconds[run] = (System.nanoTime() - start) / 1e9;
                    perSecond[run] = size / seconds[run];
                    if (!result.intact()) {
                        throw new IllegalStateException("the trail does not verify: " + result);
                    }
                }
                System.out.printf("%,12d entries: seconds %s, entries/s %s%n", size, Spread.of(seconds, "%.2f"),
                        Spread.of(perSecond, "%.0f"));
            }
        }
        System.exit(0);
    }

    private static long grow(javax.sql.DataSource dataSource, AuditChain chain, long have, long size) throws Exception {
        AuditAction[] actions = {AuditAction.ACCEPTED, AuditAction.CONSENT_DECISION, AuditAction.FORWARD_SCHEDULED,
                AuditAction.DELIVERY_ATTEMPT, AuditAction.DELIVERED};
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            for (long n = have; n < size; ) {
                List<AuditEvent> batch = new ArrayList<>();
                for (int i = 0; i < 10_000 && n < size; i++, n++) {
                    batch.add(AuditEvent.of(actions[(int) (n % actions.length)], "tsunagi-hub")
                            .withMessage("00000000-0000-4000-8000-" + String.format("%012d", n), "REF-" + n / 5)
                            .withOutcome("ok").withCode("bench"));
                }
                chain.appendAll(c, batch);
                c.commit();
            }
            c.setAutoCommit(true);
        }
        return size;
    }
}
