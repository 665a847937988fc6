package io.cairn.admin;

import io.cairn.node.Role;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a health check producer that exists only on servers running at least one of {@link #value()}; see
 * {@link ActiveRoleFilter}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ForRole {
    Role[] value();
}
