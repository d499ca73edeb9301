package jp.tsunagi.gateway.config;

import java.util.List;
import jp.tsunagi.schema.model.AgencyType;
import jp.tsunagi.schema.model.MessageType;

/**
 * One agency (関係機関) of {@code conf/agencies.yaml}: its id (the {@code sender} and {@code recipient} of messages),
 * Japanese name, type, the local government code (全国地方公共団体コード) of its municipality, its registered public
 * keys, how it is reached, and the message types it accepts.
 */
public record Agency(String id, String name, AgencyType type, String municipality, List<AgencyKey> keys,
                     Connector connector, List<MessageType> accepts) {
    public Agency {
        keys = AgencyDirectory.copy(keys);
        accepts = AgencyDirectory.copy(accepts);
    }

    public boolean accepts(MessageType type) {
        return accepts.contains(type);
    }
}
