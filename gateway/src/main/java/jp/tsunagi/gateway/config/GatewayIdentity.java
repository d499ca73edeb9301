package jp.tsunagi.gateway.config;

import java.util.List;

/** The gateway itself (つなぎ連携基盤): the id and name in its certificates, and the keys it signs with. */
public record GatewayIdentity(String id, String name, List<AgencyKey> keys) {
    public GatewayIdentity {
        keys = AgencyDirectory.copy(keys);
    }
}
