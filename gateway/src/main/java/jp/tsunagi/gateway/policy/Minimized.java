package jp.tsunagi.gateway.policy;

import java.util.List;
import java.util.Objects;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.Message;

/**
 * A message reduced to what its recipient may receive (最小化の結果): a copy of the original, and the data categories
 * that were removed from it, in schema order (what {@code provenance.removedCategories} and the audit entry list).
 */
public record Minimized(Message message, List<DataCategory> removed) {
    public Minimized {
        Objects.requireNonNull(message, "message");
        removed = List.copyOf(removed);
    }

    public boolean changed() {
        return !removed.isEmpty();
    }
}
