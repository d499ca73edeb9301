package jp.tsunagi.gateway.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import jp.tsunagi.schema.TsunagiSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tsunagi schema export DIR}: the XSD, the JSON Schema and the OpenAPI document, as files. */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "Write the message schema and the API description (メッセージ仕様・API仕様) into a directory.",
                "",
                "Writes, from the schema library of this build:",
                "  tsunagi-message-1.xsd          XML Schema, the single source of the format",
                "  tsunagi-message-1.schema.json  JSON Schema (2020-12) generated from it",
                "  openapi.json                   OpenAPI document of the HTTP API",
                "Existing files of these names are replaced; the paths written are printed.",
                ""},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:written",
                "1:a document is missing from this build (the others are written)",
                "2:bad usage, or DIR cannot be written"},
        footerHeading = "%nExample:%n",
        footer = {"  tsunagi schema export build/schema"})
final class SchemaExportCommand implements Callable<Integer> {
    /** The documents, by classpath resource. */
    static final List<String> RESOURCES = List.of(
            TsunagiSchema.XSD_RESOURCE, TsunagiSchema.JSON_SCHEMA_RESOURCE, TsunagiSchema.OPENAPI_RESOURCE);

    @Parameters(paramLabel = "DIR", description = "Directory to write into; created if missing.")
    Path directory;

    @Override
    public Integer call() {
        PrintStream out = Terminal.out();
        PrintStream err = Terminal.err();
        List<String> missing = new ArrayList<>();
        try {
            Files.createDirectories(directory);
            for (String resource : RESOURCES) {
                try (InputStream in = TsunagiSchema.class.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        missing.add(resource);
                        continue;
                    }
                    Path target = directory.resolve(resource.substring(resource.lastIndexOf('/') + 1));
                    Files.write(target, in.readAllBytes());
                    out.println(target);
                }
            }
        } catch (IOException e) {
            err.println("cannot write to " + directory + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            return ExitCodes.BAD_INPUT;
        }
        if (!missing.isEmpty()) {
            err.println("missing from this build: " + String.join(", ", missing));
            return ExitCodes.INVALID;
        }
        return ExitCodes.OK;
    }
}
