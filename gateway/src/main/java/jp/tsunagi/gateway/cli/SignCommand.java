package jp.tsunagi.gateway.cli;

import jp.tsunagi.gateway.config.AgencyKeys;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.signature.MessageSignatures;
import jp.tsunagi.schema.validation.MessageReader;
import jp.tsunagi.schema.validation.MessageRejectedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tsunagi sign --as AGENCY_ID FILE}: the message signed with that agency's key, on standard output. */
@Command(name = "sign",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "Sign a message (電子署名) with an agency's key and write the signed message to standard output.",
                "",
                "FILE is a message in JSON or XML. It is validated first (schema and rules); an invalid "
                        + "message is not signed. The key is <keys>/<AGENCY_ID>.key.pem, its kid the agency's "
                        + "first key in agencies.yaml. JSON gets a detached JWS (ES256) in its \"signature\" "
                        + "member, XML an enveloped XML Signature. The agency must be the message's sender.",
                "",
                "This is what a vendor uses to compare its own signer with Tsunagi's.",
                ""},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:signed; the signed message is on standard output",
                "2:bad input: invalid message (problems on standard error, one per line), unknown agency, "
                        + "missing key, bad configuration or usage"},
        footerHeading = "%nExamples:%n",
        footer = {"  tsunagi keys init", "  tsunagi sign --as tsunagi-tax F1.json > F1.signed.json"})
final class SignCommand implements Callable<Integer> {
    @Option(names = "--as", required = true, paramLabel = "AGENCY_ID",
            description = "Agency that signs (送信機関), an id of agencies.yaml such as tsunagi-tax.")
    String agencyId;

    @Parameters(paramLabel = "FILE", description = "Message to sign (JSON or XML).")
    Path file;

    @Option(names = "--keys", paramLabel = "DIR", defaultValue = "data/keys",
            description = "Key directory holding <AGENCY_ID>.key.pem. Default: ${DEFAULT-VALUE}")
    Path keys;

    @Mixin
    ConfOption conf;

    @Override
    public Integer call() {
        PrintStream err = Terminal.err();
        try {
            byte[] document = Documents.read(file);
            Message message = new MessageReader().read(document);
            AgencyDirectory agencies = conf.agencies();
            agencies.signingKid(agencyId); // an unknown agency is named before anything else
            if (!agencies.isGateway(agencyId) && !agencyId.equals(message.getSender())) {
                err.println(file + ": the sender of this message is " + message.getSender() + ", not " + agencyId
                        + ": an agency signs only what it sends");
                return ExitCodes.BAD_INPUT;
            }
            byte[] signed = MessageSignatures.sign(document, AgencyKeys.signingKey(agencies, keys, agencyId));
            System.out.write(signed, 0, signed.length);
            System.out.flush();
            if (System.out.checkError()) {
                err.println("cannot write the signed message to standard output");
                return ExitCodes.BAD_INPUT;
            }
            return ExitCodes.OK;
        } catch (MessageRejectedException e) {
            Terminal.print(err, e.problems());
            return ExitCodes.BAD_INPUT;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (UncheckedIOException e) {
            err.println(e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
    }
}
