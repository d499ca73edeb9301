package jp.tsunagi.gateway.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import javax.sql.DataSource;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditBundle;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditEvent;
import jp.tsunagi.gateway.audit.AuditSearch;

/** Writing a bundle file from the command line: recorded first, written to a temporary file, then moved in place. */
final class AuditBundles {
    private AuditBundles() {
    }

    static void export(AuditChain chain, DataSource dataSource, String actor, OffsetDateTime from, OffsetDateTime to,
            Map<String, PublicKey> keys, Path file) throws SQLException, IOException {
        chain.appendCommitted(dataSource, AuditEvent.of(AuditAction.AUDIT_EXPORTED, actor).withOutcome("exported")
                .withCode("bundle:" + bound(from) + "/" + bound(to)));
        Path absolute = file.toAbsolutePath();
        Path temporary = Files.createTempFile(absolute.getParent(), ".bundle-", ".tmp");
        try {
            try (Connection c = dataSource.getConnection(); OutputStream out = Files.newOutputStream(temporary)) {
                AuditBundle.write(c, from, to, keys, out);
            }
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static String bound(OffsetDateTime time) {
        return time == null ? ".." : AuditSearch.canonicalTime(time);
    }
}
