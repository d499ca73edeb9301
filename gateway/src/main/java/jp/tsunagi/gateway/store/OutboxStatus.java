package jp.tsunagi.gateway.store;

/** Where a forwarded copy stands: waiting or being retried, delivered, or given up on (dead letter, 配信不能). */
public enum OutboxStatus { PENDING, DELIVERED, DEAD }
