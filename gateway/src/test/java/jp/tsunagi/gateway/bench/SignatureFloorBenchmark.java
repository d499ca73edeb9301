package jp.tsunagi.gateway.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jp.tsunagi.gateway.intake.TestMessages;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.KeyResolver;
import jp.tsunagi.schema.signature.MessageSignatures;
import jp.tsunagi.schema.signature.Pem;
import jp.tsunagi.schema.signature.SigningKey;

/**
 * bench/run floor: the CPU the contract's signatures alone cost for one referral, on this machine, with the gateway's
 * own code (ES256, BouncyCastle): the sender's signature verified, and three documents signed by the gateway, the
 * forwarded copy (a referral's size), the receipt and the 受信 notice (small). No gateway can do less per message
 * and keep the contract; docs/benchmarks.md sets it beside the bare pass-through's CPU per message.
 * Arguments: ITERATIONS (2000) RUNS (3). CPU time of this thread, so another process's load hardly moves it.
 */
public final class SignatureFloorBenchmark {
    private SignatureFloorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path keys = Files.createTempDirectory("tsunagi-floor");
        KeyMaterial.writeFiles(keys, Load.SENDER, Load.SENDER);
        KeyMaterial.writeFiles(keys, "tsunagi-gateway", "tsunagi-gateway");
        TestMessages samples = new TestMessages(keys);
        SigningKey sender = samples.key(Load.SENDER);
        SigningKey gateway = samples.key("tsunagi-gateway");
        KeyResolver senderKey = KeyResolver.only(Pem.readPublicKey(KeyMaterial.publicKeyFile(keys, Load.SENDER)));
        byte[] referral = JsonCodec.write(samples.sample("F1", m -> { }));
        byte[] signedReferral = MessageSignatures.sign(referral, sender);
        byte[] small = ("{\"messageId\":\"5b0f6f0e-8a51-4c59-9d0e-3f1c2b7a9e11\",\"messageType\":\"RECEIPT\","
                + "\"schemaVersion\":\"1.0\",\"createdAt\":\"2026-12-06T10:00:00+09:00\",\"sender\":\"tsunagi-gateway\","
                + "\"recipient\":\"tsunagi-tax\",\"referralId\":\"REF-2026-000001\",\"receipt\":{\"acknowledgedMessageId\":"
                + "\"0c3b9a55-6c1f-4d8e-b7a2-51e0f4c2d9aa\",\"receivedAt\":\"2026-12-06T10:00:00+09:00\",\"auditSeq\":1}}")
                .getBytes(StandardCharsets.UTF_8);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < iterations; i++) { // warm-up: the JIT compiles what the runs use
            MessageSignatures.verify(signedReferral, senderKey);
            MessageSignatures.sign(referral, gateway);
            MessageSignatures.sign(small, gateway);
        }
        double[] verify = new double[runs];
        double[] signCopy = new double[runs];
        double[] signSmall = new double[runs];
        double[] floor = new double[runs];
        for (int run = 0; run < runs; run++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < iterations; i++) {
                MessageSignatures.verify(signedReferral, senderKey);
            }
            long t1 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < iterations; i++) {
                MessageSignatures.sign(referral, gateway);
            }
            long t2 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < iterations; i++) {
                MessageSignatures.sign(small, gateway);
            }
            long t3 = cpu.getCurrentThreadCpuTime();
            verify[run] = (t1 - t0) / 1e6 / iterations;
            signCopy[run] = (t2 - t1) / 1e6 / iterations;
            signSmall[run] = (t3 - t2) / 1e6 / iterations;
            floor[run] = verify[run] + signCopy[run] + 2 * signSmall[run];
            System.out.printf("run %d: verify the referral %.3f ms, sign a copy %.3f ms, sign a receipt or notice %.3f ms:"
                    + " %.3f ms of CPU a referral%n", run + 1, verify[run], signCopy[run], signSmall[run], floor[run]);
        }
        System.out.println("CPU ms min / median / max: verify " + Spread.of(verify, "%.3f") + ", sign a copy "
                + Spread.of(signCopy, "%.3f") + ", sign a receipt or notice " + Spread.of(signSmall, "%.3f")
                + ", a referral's signatures " + Spread.of(floor, "%.3f"));
    }
}
