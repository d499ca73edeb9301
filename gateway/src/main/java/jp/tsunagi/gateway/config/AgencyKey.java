package jp.tsunagi.gateway.config;

import java.nio.file.Path;

/**
 * One registered public key (公開鍵) of an agency or of the gateway: its key id {@code <id>#<n>}, which signatures
 * name, and the PEM file (SubjectPublicKeyInfo or X.509 certificate) that holds it. A relative path is relative to
 * the directory the gateway runs in.
 */
public record AgencyKey(String kid, Path pem) {
}
