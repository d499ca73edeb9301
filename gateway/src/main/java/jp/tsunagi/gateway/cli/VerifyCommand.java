package jp.tsunagi.gateway.cli;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.signature.KeyResolver;
import jp.tsunagi.schema.signature.MessageSignatures;
import jp.tsunagi.schema.signature.Pem;
import jp.tsunagi.schema.signature.VerifiedSignature;
import jp.tsunagi.schema.validation.MessageReader;
import jp.tsunagi.schema.validation.MessageRejectedException;
import jp.tsunagi.schema.validation.Problem;
import jp.tsunagi.schema.validation.ProblemCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tsunagi verify FILE}: signature and content of a signed message; prints {@code valid} or the problems. */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "Verify a signed message: its signature (署名検証) and its content (schema and rules).",
                "",
                "The signature is checked against the keys registered in agencies.yaml (the kid the signature "
                        + "names must be registered, and belong to the message's sender, or to the gateway for a "
                        + "forwarded message with provenance), or against the one public key given with --key.",
                "",
                "Prints exactly 'valid' when both hold; otherwise every problem, one per line: "
                        + "code, path (JSON Pointer or XPath, when there is one) and detail.",
                ""},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:valid",
                "1:not valid (the problems are on standard output)",
                "2:bad usage, FILE or PEM unreadable, or bad configuration"},
        footerHeading = "%nExamples:%n",
        footer = {"  tsunagi verify F1.signed.json", "  tsunagi verify --key data/keys/tsunagi-tax.crt.pem F1.signed.json"})
final class VerifyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Signed message (JSON or XML).")
    Path file;

    @Option(names = "--key", paramLabel = "PEM",
            description = "Verify with this public key (公開鍵; SubjectPublicKeyInfo or X.509 certificate PEM) "
                    + "instead of the registered keys; agencies.yaml is then not read.")
    Path key;

    @Mixin
    ConfOption conf;

    @Override
    public Integer call() {
        PrintStream out = Terminal.out();
        PrintStream err = Terminal.err();
        Set<Problem> problems = new LinkedHashSet<>();
        byte[] document;
        KeyResolver keys;
        AgencyDirectory agencies = null;
        try {
            document = Documents.read(file);
            if (key != null) {
                if (!Files.isRegularFile(key)) {
                    throw new IllegalArgumentException(key + ": no such file");
                }
                keys = KeyResolver.only(Pem.readPublicKey(key));
            } else {
                agencies = conf.agencies();
                keys = agencies.keyResolver();
            }
        } catch (MessageRejectedException e) {
            Terminal.print(out, e.problems());
            return ExitCodes.INVALID;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println(e.getMessage());
            return ExitCodes.BAD_INPUT;
        }

        VerifiedSignature signer = null;
        try {
            signer = MessageSignatures.verify(document, keys);
        } catch (MessageRejectedException e) {
            problems.addAll(e.problems());
        } catch (IllegalArgumentException e) {
            problems.add(Problem.of(ProblemCode.SIGNATURE_MALFORMED, "", e.getMessage()));
        }
        Message message = null;
        try {
            message = new MessageReader().read(document);
        } catch (MessageRejectedException e) {
            problems.addAll(e.problems());
        }
        if (signer != null && message != null && agencies != null) {
            checkSigner(agencies, signer, message, problems);
        }
        if (problems.isEmpty()) {
            out.println("valid");
            return ExitCodes.OK;
        }
        Terminal.print(out, problems);
        return ExitCodes.INVALID;
    }

    /**
     * A registered key speaks only for its own agency: the sender's key, or the gateway's on a message it forwarded
     * (one with provenance). The kid's agency part is its owner: agencies.yaml refuses a kid of another id.
     */
    static void checkSigner(AgencyDirectory agencies, VerifiedSignature signer, Message message, Set<Problem> problems) {
        String owner = signer.agencyId();
        boolean sender = owner.equals(message.getSender());
        boolean forwardedByGateway = agencies.isGateway(owner) && message.getProvenance() != null;
        if (!sender && !forwardedByGateway) {
            problems.add(Problem.of(ProblemCode.SIGNATURE_SENDER_MISMATCH, "",
                    "the key " + signer.kid() + " is not registered to the sender " + message.getSender()));
        }
    }
}
