package jp.tsunagi.schema.codec;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.Unmarshaller;
import jp.tsunagi.schema.TsunagiSchema;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.validation.MessageRejectedException;
import jp.tsunagi.schema.validation.ProblemCode;
import org.w3c.dom.Document;

/** XML form of the message through JAXB, always over a DOM parsed by {@link SafeXml}. */
public final class XmlCodec {
    private static final JAXBContext CONTEXT = newContext();

    private XmlCodec() {
    }

    public static Document parse(byte[] xml) {
        return SafeXml.parse(xml);
    }

    /** Binds a schema-valid document to the model (an enveloped signature is kept in {@code xmlSignature}). */
    public static Message bind(Document document) {
        try {
            Unmarshaller unmarshaller = CONTEXT.createUnmarshaller();
            return (Message) unmarshaller.unmarshal(document);
        } catch (JAXBException | ClassCastException | IllegalArgumentException e) {
            throw new MessageRejectedException(ProblemCode.SCHEMA_INVALID, "cannot be bound to the model");
        }
    }

    public static Document toDocument(Message message) {
        Document document = SafeXml.newDocument();
        try {
            Marshaller marshaller = CONTEXT.createMarshaller();
            marshaller.marshal(message, document);
            return document;
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot write the message as XML", e);
        }
    }

    /** Indented UTF-8 XML with the message namespace as the default namespace. */
    public static byte[] write(Message message) {
        try {
            Marshaller marshaller = CONTEXT.createMarshaller();
            marshaller.setProperty(Marshaller.JAXB_FORMATTED_OUTPUT, true);
            marshaller.setProperty(Marshaller.JAXB_ENCODING, "UTF-8");
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            marshaller.marshal(message, out);
            return out.toByteArray();
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot write the message as XML", e);
        }
    }

    private static JAXBContext newContext() {
        try {
            return JAXBContext.newInstance(Message.class);
        } catch (JAXBException e) {
            throw new IllegalStateException("the message model cannot be bound", e);
        }
    }

    static String namespace() {
        return TsunagiSchema.NAMESPACE;
    }
}
