package jp.tsunagi.gateway.config;

import java.util.List;
import jp.tsunagi.schema.model.AgencyType;
import jp.tsunagi.schema.model.MessageType;

/**
 * One agency (関係機関) of {@code conf/agencies.yaml}: its id (the {@code sender} and {@code recipient} of messages),
 * Japanese name, type, the local government code (全国地方公共団体コード) of its municipality, its registered public
 * keys, how it is reached, the message types it accepts, and whether it is suspended (利用停止).
 *
 * @param suspended null unless suspended; an empty {@code suspended:} key is refused rather than read as "not suspended"
 */
public record Agency(String id, String name, AgencyType type, String municipality, List<AgencyKey> keys,
                     Connector connector, List<MessageType> accepts, Suspension suspended) {
    public Agency {
        keys = AgencyDirectory.copy(keys);
        accepts = AgencyDirectory.copy(accepts);
    }

    /** Not suspended. */
    public Agency(String id, String name, AgencyType type, String municipality, List<AgencyKey> keys,
                  Connector connector, List<MessageType> accepts) {
        this(id, name, type, municipality, keys, connector, accepts, null);
    }

    /** Nothing is accepted from a suspended agency, and copies to it are held. */
    public boolean isSuspended() {
        return suspended != null;
    }

    public boolean accepts(MessageType type) {
        return accepts.contains(type);
    }
}
