package jp.tsunagi.gateway.policy;

import java.util.List;
import jp.tsunagi.connectors.config.StrictYaml;
import jp.tsunagi.schema.model.AgencyType;
import jp.tsunagi.schema.model.LegalBasis;
import jp.tsunagi.schema.model.MessageType;

/**
 * One allowed flow (連携経路) of {@code conf/policy.yaml}: from one agency type to some agency types, which message
 * types may travel it and, for referrals, on which lawful bases. {@code bases} concern REFERRAL only, since the other
 * message types follow the basis of their referral.
 */
public record AllowedFlow(String id, String description, AgencyType from, List<AgencyType> to,
                          List<MessageType> messageTypes, List<LegalBasis> bases) {
    public AllowedFlow {
        to = StrictYaml.copy(to);
        messageTypes = StrictYaml.copy(messageTypes);
        bases = StrictYaml.copy(bases);
    }

    public boolean connects(AgencyType sender, AgencyType recipient) {
        return from == sender && to.contains(recipient);
    }

    public boolean carries(MessageType type) {
        return messageTypes.contains(type);
    }

    public boolean allows(LegalBasis basis) {
        return bases.contains(basis);
    }
}
