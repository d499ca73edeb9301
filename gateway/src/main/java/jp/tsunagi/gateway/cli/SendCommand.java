package jp.tsunagi.gateway.cli;

import jp.tsunagi.gateway.config.AgencyKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.signature.MessageSignatures;
import jp.tsunagi.schema.validation.MessageRejectedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tsunagi send --as AGENCY_ID FILE}: sign with the agency's key, submit, print the receipt or the problem. */
@Command(name = "send",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "Sign a message with an agency's development key and submit it to a gateway (送信).",
                "",
                "Prints the gateway's signed receipt (受領証) when the message is accepted (202) or was already "
                        + "accepted (200), otherwise the problem the gateway answered: its code and every error.",
                ""},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:accepted (the receipt is on standard output)", "1:rejected (the problem is on standard output)",
                "2:bad input: unreadable or invalid file, unknown agency, missing key, gateway unreachable"},
        footerHeading = "%nExamples:%n",
        footer = {"  tsunagi send --as tsunagi-tax F1.json", "  tsunagi send --as tsunagi-hub --url http://gw.example:8080 F3.xml"})
final class SendCommand implements Callable<Integer> {
    @Option(names = "--as", required = true, paramLabel = "AGENCY_ID", description = "Sending agency (送信機関).")
    String agencyId;

    @Parameters(paramLabel = "FILE", description = "Message to send (JSON or XML), unsigned.")
    Path file;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "The gateway. Default: ${DEFAULT-VALUE}")
    URI url;

    @Option(names = "--keys", paramLabel = "DIR", defaultValue = "data/keys",
            description = "Key directory holding <AGENCY_ID>.key.pem. Default: ${DEFAULT-VALUE}")
    Path keys;

    @Mixin
    ConfOption conf;

    @Override
    public Integer call() {
        PrintStream out = Terminal.out();
        PrintStream err = Terminal.err();
        try {
            byte[] document = Documents.read(file);
            AgencyDirectory agencies = conf.agencies();
            byte[] signed = MessageSignatures.sign(document, AgencyKeys.signingKey(agencies, keys, agencyId));
            HttpResponse<byte[]> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(HttpRequest.newBuilder(url.resolve("/api/v1/messages"))
                            .header("Content-Type", MessageFormat.detect(signed).mediaType())
                            .timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(signed)).build(), HttpResponse.BodyHandlers.ofByteArray());
            out.println(response.statusCode() + (response.statusCode() == 202 ? " accepted" : response.statusCode() == 200 ? " already accepted" : " rejected"));
            out.println(new String(response.body(), StandardCharsets.UTF_8));
            return response.statusCode() == 200 || response.statusCode() == 202 ? ExitCodes.OK : ExitCodes.INVALID;
        } catch (MessageRejectedException e) {
            Terminal.print(err, e.problems());
            return ExitCodes.BAD_INPUT;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println(e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (IOException e) {
            err.println("the gateway at " + url + " cannot be reached (" + e.getClass().getSimpleName() + ")");
            return ExitCodes.BAD_INPUT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.BAD_INPUT;
        }
    }
}
