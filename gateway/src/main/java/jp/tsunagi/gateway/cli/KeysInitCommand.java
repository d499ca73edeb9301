package jp.tsunagi.gateway.cli;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.config.AgencyKey;
import jp.tsunagi.schema.signature.KeyMaterial;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tsunagi keys init}: a key pair and certificate for the gateway and every agency that has none yet. */
@Command(name = "init",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "Generate key pairs and certificates (鍵ペア・証明書) for the gateway and every agency.",
                "",
                "For the gateway and each agency of agencies.yaml, writes into the key directory:",
                "  <id>.key.pem  private key (PKCS#8, owner-only; never commit it)",
                "  <id>.pub.pem  public key (SubjectPublicKeyInfo), registered in agencies.yaml",
                "  <id>.crt.pem  self-signed X.509 certificate (P-256)",
                "Existing keys are never overwritten: an id whose private key exists is kept.",
                "These are development and first-installation keys; a municipality may replace the "
                        + "certificates with ones from its own CA.",
                ""},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:keys created or kept (one line per id on standard output)",
                "2:bad usage, bad configuration, or the key directory cannot be written"},
        footerHeading = "%nExamples:%n",
        footer = {"  tsunagi keys init", "  tsunagi keys init --conf /etc/tsunagi --dir /var/lib/tsunagi/keys"})
final class KeysInitCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "data/keys",
            description = "Key directory (鍵の保存先). Default: ${DEFAULT-VALUE}")
    Path directory;

    @Mixin
    ConfOption conf;

    @Override
    public Integer call() {
        PrintStream out = Terminal.out();
        PrintStream err = Terminal.err();
        try {
            AgencyDirectory agencies = conf.agencies();
            Map<String, String> names = new LinkedHashMap<>();
            Map<String, List<AgencyKey>> keys = new LinkedHashMap<>();
            names.put(agencies.gateway().id(), agencies.gateway().name());
            keys.put(agencies.gateway().id(), agencies.gateway().keys());
            agencies.agencies().forEach(a -> {
                names.put(a.id(), a.name());
                keys.put(a.id(), a.keys());
            });
            for (Map.Entry<String, String> entry : names.entrySet()) {
                String id = entry.getKey();
                boolean created = KeyMaterial.writeFiles(directory, id, entry.getValue());
                out.println(created
                        ? "created " + id + ": " + directory.resolve(id + ".{key,pub,crt}.pem")
                        : "kept    " + id + ": " + KeyMaterial.privateKeyFile(directory, id) + " exists");
                warnIfNotRegistered(err, agencies, id, keys.get(id));
            }
            return ExitCodes.OK;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (UncheckedIOException e) {
            err.println(e.getMessage() + " (" + e.getCause().getClass().getSimpleName() + ")");
            return ExitCodes.BAD_INPUT;
        }
    }

    /** agencies.yaml registers the public key at another path: verify would not find the key just written. */
    private void warnIfNotRegistered(PrintStream err, AgencyDirectory agencies, String id, List<AgencyKey> keys) {
        Path written = KeyMaterial.publicKeyFile(directory, id).toAbsolutePath().normalize();
        boolean registered = keys.stream()
                .anyMatch(k -> agencies.resolve(k.pem()).toAbsolutePath().normalize().equals(written));
        if (!registered) {
            err.println("note: " + agencies.source() + " registers no key of " + id + " at " + directory.resolve(id + ".pub.pem")
                    + " (it registers " + keys.stream().map(k -> k.kid() + " at " + k.pem()).reduce((a, b) -> a + ", " + b).orElse("none") + ")");
        }
    }
}
