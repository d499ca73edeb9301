package jp.tsunagi.gateway.policy;

import java.util.List;
import java.util.Objects;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.Message;

/**
 * A message reduced to what its recipient may receive (最小化の結果): a copy of the original, the data categories of
 * which something was actually removed, in schema order, and the positions (in the original household, from 0) of the
 * household members removed for lack of a basis of their own: what {@code provenance.removedCategories},
 * {@code provenance.removedMembers} and the audit entry list. Positions, never names.
 */
public record Minimized(Message message, List<DataCategory> removed, List<Integer> removedMembers) {
    public Minimized {
        Objects.requireNonNull(message, "message");
        removed = List.copyOf(removed);
        removedMembers = List.copyOf(removedMembers);
    }

    public boolean changed() {
        return !removed.isEmpty() || !removedMembers.isEmpty();
    }
}
