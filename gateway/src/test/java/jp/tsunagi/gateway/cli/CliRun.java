package jp.tsunagi.gateway.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine;

/** One in-process run of the command line, as a user would see it: exit code, standard output, standard error. */
public record CliRun(int exit, byte[] outBytes, String err) {
    public String out() {
        return new String(outBytes, StandardCharsets.UTF_8);
    }

    public static CliRun run(String... args) {
        return run(TsunagiCli::commandLine, args);
    }

    /** A run of another command line built on the gateway's (the demo's jar); built once standard output is captured. */
    public static CliRun run(Supplier<CommandLine> commandLine, String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = commandLine.get().execute(args);
            return new CliRun(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    /** agencies.yaml of the gateway, the hub and the tax desk, their public keys in the given directory. */
    static String twoAgencies(Path keys) {
        return """
                gateway:
                  id: gateway
                  name: テスト用ゲートウェイ
                  keys:
                    - {kid: "gateway#1", pem: "%1$s/gateway.pub.pem"}
                agencies:
                  - id: tsunagi-hub
                    name: つなぎ市自立相談支援センター
                    type: SELF_RELIANCE_SUPPORT
                    municipality: "139998"
                    keys:
                      - {kid: "tsunagi-hub#1", pem: "%1$s/tsunagi-hub.pub.pem"}
                    connector: {kind: http, endpoint: "http://127.0.0.1:18081/"}
                    accepts: [REFERRAL, STATUS_UPDATE, CONSENT_WITHDRAWAL]
                  - id: tsunagi-tax
                    name: つなぎ市税務課
                    type: TAX_DESK
                    municipality: "139998"
                    keys:
                      - {kid: "tsunagi-tax#1", pem: "%1$s/tsunagi-tax.pub.pem"}
                    connector: {kind: http, endpoint: "http://127.0.0.1:18085/"}
                    accepts: [REFERRAL, STATUS_UPDATE, CONSENT_WITHDRAWAL]
                """.formatted(keys.toAbsolutePath());
    }
}
