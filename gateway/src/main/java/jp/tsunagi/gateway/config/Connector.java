package jp.tsunagi.gateway.config;

/**
 * How the gateway reaches an agency's system (接続方式): a kind ({@code http}, later file drops, SFTP, queues)
 * and an endpoint whose form depends on the kind.
 */
public record Connector(String kind, String endpoint) {
}
