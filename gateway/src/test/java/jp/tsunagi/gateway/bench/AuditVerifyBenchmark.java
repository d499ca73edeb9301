package jp.tsunagi.gateway.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Optional;
import jp.tsunagi.gateway.audit.AuditVerifier;
import jp.tsunagi.gateway.audit.CheckpointPolicy;
import jp.tsunagi.gateway.audit.TrailBuilder;
import jp.tsunagi.gateway.audit.VerificationResult;
import jp.tsunagi.gateway.store.Database;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.SigningKey;

/**
 * bench/run audit: the audit chain's verification (what {@code tsunagi audit verify} runs) over trails of growing size,
 * each in an H2 file database opened as the gateway opens it ({@link Database#open}): chained entries, signed
 * checkpoints every 1,000 entries and the signed head, as the sequencer writes them ({@link TrailBuilder}). Each size
 * has its own database under DIR ({@code trail-<size>}), signed by one gateway key kept there too, and is kept for
 * the next run: building ten million entries takes minutes, verifying them is what is measured, R times.
 * Arguments: SIZES (100000,1000000,10000000) RUNS (3; 0 only builds) DIR (target/bench-audit-verify). Not a unit test.
 */
public final class AuditVerifyBenchmark {
    private AuditVerifyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long[] sizes = Arrays.stream((args.length > 0 ? args[0] : "100000,1000000,10000000").split(","))
                .mapToLong(Long::parseLong).toArray();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Path.of(args.length > 2 ? args[2] : "target/bench-audit-verify").toAbsolutePath();
        Files.createDirectories(dir);
        KeyPair gateway = key(dir);
        SigningKey key = new SigningKey("gateway#1", gateway.getPrivate());
        AuditVerifier verifier = new AuditVerifier(kid -> Optional.of(gateway.getPublic()));
        // the CPU time of the process (both threads of the check, the collector, the compiler): the machine is shared
        OperatingSystemMXBean processCpu = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (long size : sizes) {
            Path trail = dir.resolve("trail-" + size);
            try (Database db = Database.open("jdbc:h2:file:" + trail.resolve("tsunagi"))) {
                long have = TrailBuilder.size(db.dataSource());
                if (have < size) {
                    long start = System.nanoTime();
                    TrailBuilder.grow(db.dataSource(), key, CheckpointPolicy.DEFAULT, size);
                    System.out.printf("%,12d entries: built from %,d in %.0f s (%s)%n", size, have,
                            (System.nanoTime() - start) / 1e9, trail);
                } else if (have > size) {
                    throw new IllegalStateException(trail + " holds " + have + " entries, not " + size);
                }
                double[] seconds = new double[runs];
                double[] perSecond = new double[runs];
                double[] cpuSeconds = new double[runs];
                for (int run = 0; run < runs; run++) {
                    String loadBefore = load();
                    long cpuBefore = processCpu.getProcessCpuTime();
                    long start = System.nanoTime();
                    VerificationResult result = verifier.verify(db.dataSource());
                    seconds[run] = (System.nanoTime() - start) / 1e9;
                    perSecond[run] = size / seconds[run];
                    if (!result.intact() || result.entries() != size) {
                        throw new IllegalStateException("the trail does not verify: " + result.summary());
                    }
                    cpuSeconds[run] = (processCpu.getProcessCpuTime() - cpuBefore) / 1e9;
                    System.out.printf("%,12d entries: run %d %.2f s, CPU %.2f s (%s; load average %s -> %s)%n", size,
                            run + 1, seconds[run], cpuSeconds[run], result.summary(), loadBefore, load());
                }
                if (runs == 0) {
                    continue; // only built
                }
                System.out.printf("%,12d entries: seconds %s, entries/s %s, CPU seconds %s%n", size,
                        Spread.of(seconds, "%.2f"), Spread.of(perSecond, "%.0f"), Spread.of(cpuSeconds, "%.2f"));
            }
        }
        System.exit(0);
    }

    /** The machine's load average over the last minute (Linux), or "?". */
    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    /** The gateway key that signs the trails under dir: made once, kept beside them (they are only test data). */
    private static KeyPair key(Path dir) throws Exception {
        Path privateKey = dir.resolve("gateway-key.p8");
        Path publicKey = dir.resolve("gateway-key.x509");
        if (!Files.exists(privateKey)) {
            KeyPair made = KeyMaterial.generateP256();
            Files.write(publicKey, made.getPublic().getEncoded());
            Files.write(privateKey, made.getPrivate().getEncoded());
        }
        KeyFactory ec = KeyFactory.getInstance("EC");
        return new KeyPair(ec.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(publicKey))),
                ec.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(privateKey))));
    }
}
