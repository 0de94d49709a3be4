package dev.lifeboat.security;

import java.util.Map;
import java.util.Set;

/**
 * Published once at start-up, when the users who may log in are settled: each username with its
 * roles (never a password or its hash), sorted by username.
 */
public record UsersConfigured(Map<String, Set<Role>> users) {}
