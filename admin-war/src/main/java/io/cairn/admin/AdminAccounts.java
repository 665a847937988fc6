package io.cairn.admin;

import io.cairn.node.ConfigException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The admin API's accounts, from configuration: the operator ({@code cairn.admin.user}, default
 * {@code admin}, with {@code cairn.admin.password}) and the read-only user ({@code cairn.admin.readonly.user},
 * default {@code reader}, with {@code cairn.admin.readonly.password}). An account without a password does
 * not exist; there is no default secret. Passwords are kept only as SHA-256 digests and compared in constant
 * time, every account each time, so neither the answer's timing nor an exception says which part was wrong.
 * Immutable and thread-safe.
 */
public final class AdminAccounts {
    public static final String USER = "cairn.admin.user";
    public static final String PASSWORD = "cairn.admin.password";
    public static final String READONLY_USER = "cairn.admin.readonly.user";
    public static final String READONLY_PASSWORD = "cairn.admin.readonly.password";
    /** Longest user name or password taken; longer ones are refused without comparing. */
    public static final int MAX_LENGTH = 256;

    private record Account(byte[] user, byte[] passwordDigest, String role) {
    }

    private final List<Account> accounts;

    private AdminAccounts(List<Account> accounts) {
        this.accounts = List.copyOf(accounts);
    }

    /**
     * The accounts that {@code settings} (a property name → its value, if set) define.
     *
     * @throws ConfigException if both accounts have the same user name, or a name or password is too long
     */
    public static AdminAccounts from(Function<String, Optional<String>> settings) {
        String operator = name(settings, USER, "admin");
        String reader = name(settings, READONLY_USER, "reader");
        Optional<String> operatorPassword = password(settings, PASSWORD);
        Optional<String> readerPassword = password(settings, READONLY_PASSWORD);
        if (operatorPassword.isPresent() && readerPassword.isPresent() && operator.equals(reader)) {
            throw new ConfigException(READONLY_USER, "must differ from " + USER + " ('" + operator + "')");
        }
        List<Account> accounts = new ArrayList<>();
        operatorPassword.ifPresent(p -> accounts.add(account(operator, p, AdminRoles.OPERATOR)));
        readerPassword.ifPresent(p -> accounts.add(account(reader, p, AdminRoles.READER)));
        return new AdminAccounts(accounts);
    }

    /** Whether any account exists; without one the admin API refuses every call. */
    public boolean any() {
        return !accounts.isEmpty();
    }

    /** The role of the account {@code user} if {@code password} is its password. */
    public Optional<String> roleOf(String user, String password) {
        if (user.length() > MAX_LENGTH || password.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        byte[] givenUser = user.getBytes(StandardCharsets.UTF_8);
        byte[] givenDigest = sha256(password);
        String role = null;
        for (Account a : accounts) {
            boolean match = MessageDigest.isEqual(sha256(givenUser), sha256(a.user()))
                    & MessageDigest.isEqual(givenDigest, a.passwordDigest());
            if (match) {
                role = a.role();
            }
        }
        return Optional.ofNullable(role);
    }

    private static String name(Function<String, Optional<String>> settings, String property, String fallback) {
        String name = settings.apply(property).map(String::trim).filter(s -> !s.isEmpty()).orElse(fallback);
        if (name.length() > MAX_LENGTH || name.indexOf(':') >= 0) {
            throw new ConfigException(property, "at most " + MAX_LENGTH + " characters and no ':'");
        }
        return name;
    }

    private static Optional<String> password(Function<String, Optional<String>> settings, String property) {
        Optional<String> password = settings.apply(property).filter(s -> !s.isEmpty());
        if (password.isPresent() && password.get().length() > MAX_LENGTH) {
            throw new ConfigException(property, "at most " + MAX_LENGTH + " characters");
        }
        return password;
    }

    private static Account account(String user, String password, String role) {
        return new Account(user.getBytes(StandardCharsets.UTF_8), sha256(password), role);
    }

    private static byte[] sha256(String s) {
        return sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
