package jp.tsunagi.gateway.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import jp.tsunagi.gateway.config.Agency;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.config.AgencyKey;
import jp.tsunagi.schema.signature.Pem;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * Which agency a TLS client certificate belongs to: the one that registered its public key in agencies.yaml. Only
 * the key counts, never the subject name, so a CA that issues a certificate with an agency's CN to someone else does
 * not make that someone the agency.
 */
public final class ClientCertificates {
    private final Map<String, List<PublicKey>> keysByAgency;

    private ClientCertificates(Map<String, List<PublicKey>> keysByAgency) {
        this.keysByAgency = keysByAgency;
    }

    public static ClientCertificates of(Map<String, List<PublicKey>> keysByAgency) {
        Map<String, List<PublicKey>> copy = new LinkedHashMap<>();
        keysByAgency.forEach((id, keys) -> copy.put(id, List.copyOf(keys)));
        return new ClientCertificates(copy);
    }

    /**
     * The registered public keys of every agency (not of the gateway), read now from their PEM files; a key whose
     * file does not exist yet is left out, as in {@link AgencyDirectory#keyResolver()}.
     */
    public static ClientCertificates fromAgencies(AgencyDirectory agencies) {
        Map<String, List<PublicKey>> keys = new LinkedHashMap<>();
        for (Agency agency : agencies.agencies()) {
            List<PublicKey> list = new ArrayList<>();
            for (AgencyKey key : agency.keys()) {
                Path pem = agencies.resolve(key.pem());
                if (Files.isRegularFile(pem)) {
                    list.add(Pem.readPublicKey(pem));
                }
            }
            keys.put(agency.id(), list);
        }
        return of(keys);
    }

    /** The agency whose registered key is the certificate's key; empty when none is. */
    public Optional<String> agencyOf(X509Certificate certificate) {
        PublicKey presented = certificate.getPublicKey();
        for (Map.Entry<String, List<PublicKey>> entry : keysByAgency.entrySet()) {
            for (PublicKey registered : entry.getValue()) {
                if (sameKey(presented, registered)) {
                    return Optional.of(entry.getKey());
                }
            }
        }
        return Optional.empty();
    }

    /** The agency of the request's client certificate: none (id null) without one, unknown when it matches none. */
    public record ClientAgency(String id, boolean unknown) {
        public static final ClientAgency NONE = new ClientAgency(null, false);
        public static final ClientAgency UNKNOWN = new ClientAgency(null, true);
    }

    /**
     * Only what the TLS session proves, never a header: the peer certificate that the handshake verified against
     * the trusted certificates, mapped to an agency by its public key.
     */
    public ClientAgency presentedBy(Exchange e) {
        if (!(e.getMessage() instanceof HttpMessage http)) {
            // fail closed: with mutual TLS configured, a request whose TLS session cannot be seen is not served
            throw new IllegalStateException("the TLS session of the request is not available");
        }
        SSLSession session = http.getRequest().sslSession();
        if (session == null) {
            throw new IllegalStateException("mutual TLS is configured but the request did not come over TLS");
        }
        Certificate[] peer;
        try {
            peer = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException noCertificate) {
            return ClientAgency.NONE;
        }
        if (peer.length == 0 || !(peer[0] instanceof X509Certificate certificate)) {
            return ClientAgency.NONE;
        }
        Optional<String> agency = agencyOf(certificate);
        return agency.map(id -> new ClientAgency(id, false)).orElse(ClientAgency.UNKNOWN);
    }

    /** Equal SubjectPublicKeyInfo; for EC keys from different providers, equal point and curve. */
    static boolean sameKey(PublicKey a, PublicKey b) {
        if (Arrays.equals(a.getEncoded(), b.getEncoded())) {
            return true;
        }
        if (a instanceof ECPublicKey ea && b instanceof ECPublicKey eb) {
            return ea.getW().equals(eb.getW())
                    && ea.getParams().getOrder().equals(eb.getParams().getOrder())
                    && ea.getParams().getGenerator().equals(eb.getParams().getGenerator())
                    && ea.getParams().getCurve().equals(eb.getParams().getCurve());
        }
        return false;
    }
}
