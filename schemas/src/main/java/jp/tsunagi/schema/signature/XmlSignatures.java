package jp.tsunagi.schema.signature;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PublicKey;
import java.util.List;
import javax.xml.crypto.AlgorithmMethod;
import javax.xml.crypto.KeySelector;
import javax.xml.crypto.KeySelectorException;
import javax.xml.crypto.KeySelectorResult;
import javax.xml.crypto.MarshalException;
import javax.xml.crypto.XMLCryptoContext;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureException;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.KeyInfoFactory;
import javax.xml.crypto.dsig.keyinfo.KeyName;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import jp.tsunagi.schema.codec.SafeXml;
import jp.tsunagi.schema.validation.MessageRejectedException;
import jp.tsunagi.schema.validation.ProblemCode;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * XML message signatures: one enveloped XML Signature (XMLDSig 1.1) as the last child of the root, over the whole
 * document ({@code Reference URI=""}, transforms enveloped-signature then exclusive c14n), ECDSA-SHA256,
 * {@code KeyInfo/KeyName} = kid. Verification accepts only that shape: a second signature, a reference to
 * anything but the whole document, or other transforms are signature wrapping and refused before any crypto.
 */
public final class XmlSignatures {
    public static final String DSIG_NS = XMLSignature.XMLNS;
    private static final List<String> TRANSFORMS = List.of(Transform.ENVELOPED, CanonicalizationMethod.EXCLUSIVE);

    private XmlSignatures() {
    }

    public static byte[] sign(byte[] xml, SigningKey key) {
        if (key.algorithm() != SignatureAlgorithm.ES256) {
            throw new IllegalArgumentException("XML messages are signed with ECDSA-SHA256 (a P-256 key)");
        }
        Document document = SafeXml.parse(xml);
        Element root = document.getDocumentElement();
        NodeList existing = root.getElementsByTagNameNS(DSIG_NS, "Signature");
        for (int i = existing.getLength() - 1; i >= 0; i--) {
            existing.item(i).getParentNode().removeChild(existing.item(i));
        }
        try {
            XMLSignatureFactory f = XMLSignatureFactory.getInstance("DOM");
            Reference reference = f.newReference("", f.newDigestMethod(DigestMethod.SHA256, null),
                    List.of(f.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null),
                            f.newTransform(CanonicalizationMethod.EXCLUSIVE, (TransformParameterSpec) null)),
                    null, null);
            SignedInfo signedInfo = f.newSignedInfo(
                    f.newCanonicalizationMethod(CanonicalizationMethod.EXCLUSIVE, (C14NMethodParameterSpec) null),
                    f.newSignatureMethod(SignatureAlgorithm.ES256.xmlDsigUri(), null),
                    List.of(reference));
            KeyInfoFactory kif = f.getKeyInfoFactory();
            KeyInfo keyInfo = kif.newKeyInfo(List.of(kif.newKeyName(key.kid())));
            DOMSignContext context = new DOMSignContext(key.privateKey(), root);
            context.setDefaultNamespacePrefix("ds");
            f.newXMLSignature(signedInfo, keyInfo).sign(context);
            return SafeXml.serialize(document);
        } catch (GeneralSecurityException | MarshalException | XMLSignatureException e) {
            throw new IllegalStateException("cannot sign the XML message", e);
        }
    }

    public static VerifiedSignature verify(byte[] xml, KeyResolver keys) {
        Document document = SafeXml.parse(xml);
        Element root = document.getDocumentElement();
        NodeList signatures = document.getElementsByTagNameNS(DSIG_NS, "Signature");
        if (signatures.getLength() == 0) {
            throw reject(ProblemCode.SIGNATURE_MISSING, "the document has no ds:Signature");
        }
        if (signatures.getLength() > 1) {
            throw reject(ProblemCode.SIGNATURE_WRAPPING, "the document has more than one ds:Signature");
        }
        Element signatureElement = (Element) signatures.item(0);
        if (signatureElement.getParentNode() != root) {
            throw reject(ProblemCode.SIGNATURE_WRAPPING, "the ds:Signature is not a child of the message element");
        }
        refuseOtherAlgorithms(signatureElement);
        KidSelector selector = new KidSelector(keys);
        DOMValidateContext context = new DOMValidateContext(selector, signatureElement);
        context.setProperty("org.jcp.xml.dsig.secureValidation", Boolean.TRUE);
        try {
            XMLSignature signature = XMLSignatureFactory.getInstance("DOM").unmarshalXMLSignature(context);
            checkShape(signature);
            byte[] value = signature.getSignatureValue().getValue();
            if (value.length != 64 || !SignatureAlgorithm.inRange(value)) {
                throw reject(ProblemCode.SIGNATURE_INVALID, "the ECDSA signature value is out of range");
            }
            if (!signature.validate(context)) {
                throw reject(ProblemCode.SIGNATURE_INVALID, "the signature does not verify over this document with the registered key");
            }
            return new VerifiedSignature(selector.kid, SignatureAlgorithm.ES256);
        } catch (MarshalException e) {
            throw reject(ProblemCode.SIGNATURE_MALFORMED, "the ds:Signature element is not a well-formed XML Signature");
        } catch (XMLSignatureException e) {
            if (e.getCause() instanceof KeySelectorException kse && kse.getCause() instanceof MessageRejectedException rejected) {
                throw rejected;
            }
            throw reject(ProblemCode.SIGNATURE_INVALID, "the signature cannot be verified");
        }
    }

    /**
     * Before unmarshalling: the secure validation of the JDK refuses rsa-sha1, md5 and the like by throwing a
     * MarshalException, which would read as signature.malformed; a signature or digest method other than ours is
     * signature.alg_forbidden, whatever it is.
     */
    private static void refuseOtherAlgorithms(Element signatureElement) {
        NodeList methods = signatureElement.getElementsByTagNameNS(XMLSignature.XMLNS, "SignatureMethod");
        for (int i = 0; i < methods.getLength(); i++) {
            if (!SignatureAlgorithm.ES256.xmlDsigUri().equals(((Element) methods.item(i)).getAttribute("Algorithm"))) {
                throw reject(ProblemCode.SIGNATURE_ALG_FORBIDDEN, "the signature method must be ECDSA-SHA256");
            }
        }
        NodeList digests = signatureElement.getElementsByTagNameNS(XMLSignature.XMLNS, "DigestMethod");
        for (int i = 0; i < digests.getLength(); i++) {
            if (!DigestMethod.SHA256.equals(((Element) digests.item(i)).getAttribute("Algorithm"))) {
                throw reject(ProblemCode.SIGNATURE_ALG_FORBIDDEN, "the digest must be SHA-256");
            }
        }
    }

    private static void checkShape(XMLSignature signature) {
        SignedInfo info = signature.getSignedInfo();
        if (!SignatureAlgorithm.ES256.xmlDsigUri().equals(info.getSignatureMethod().getAlgorithm())) {
            throw reject(ProblemCode.SIGNATURE_ALG_FORBIDDEN, "the signature method must be ECDSA-SHA256");
        }
        if (!CanonicalizationMethod.EXCLUSIVE.equals(info.getCanonicalizationMethod().getAlgorithm())) {
            throw reject(ProblemCode.SIGNATURE_MALFORMED, "the canonicalization must be exclusive c14n");
        }
        List<?> references = info.getReferences();
        if (references.size() != 1) {
            throw reject(ProblemCode.SIGNATURE_WRAPPING, "exactly one reference, to the whole document, is allowed");
        }
        Reference reference = (Reference) references.get(0);
        if (!"".equals(reference.getURI())) {
            throw reject(ProblemCode.SIGNATURE_WRAPPING, "the reference must be URI=\"\" (the whole document)");
        }
        List<String> transforms = reference.getTransforms().stream().map(t -> ((Transform) t).getAlgorithm()).toList();
        if (!transforms.equals(TRANSFORMS)) {
            throw reject(ProblemCode.SIGNATURE_WRAPPING, "the transforms must be enveloped-signature then exclusive c14n");
        }
        if (!DigestMethod.SHA256.equals(reference.getDigestMethod().getAlgorithm())) {
            throw reject(ProblemCode.SIGNATURE_ALG_FORBIDDEN, "the digest must be SHA-256");
        }
    }

    private static MessageRejectedException reject(ProblemCode code, String detail) {
        return JsonSignatures.reject(code, detail);
    }

    /** Picks the registered key named by KeyInfo/KeyName; a key embedded in the signature is never used. */
    private static final class KidSelector extends KeySelector {
        private final KeyResolver keys;
        private String kid;

        KidSelector(KeyResolver keys) {
            this.keys = keys;
        }

        @Override
        public KeySelectorResult select(KeyInfo keyInfo, Purpose purpose, AlgorithmMethod method, XMLCryptoContext context)
                throws KeySelectorException {
            String name = keyInfo == null ? null : keyInfo.getContent().stream()
                    .filter(KeyName.class::isInstance).map(k -> ((KeyName) k).getName()).findFirst().orElse(null);
            if (name == null || name.isBlank()) {
                throw new KeySelectorException(reject(ProblemCode.SIGNATURE_KID_MISSING, "KeyInfo has no KeyName"));
            }
            PublicKey key = keys.find(name).orElseThrow(() -> new KeySelectorException(
                    reject(ProblemCode.SIGNATURE_KID_UNKNOWN, "no key is registered under this KeyName")));
            if (!SignatureAlgorithm.ES256.fits(key)) {
                throw new KeySelectorException(reject(ProblemCode.SIGNATURE_INVALID, "the registered key is not a P-256 key"));
            }
            this.kid = name;
            return () -> (Key) key;
        }
    }

}
