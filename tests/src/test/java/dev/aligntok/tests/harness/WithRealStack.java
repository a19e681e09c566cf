package dev.aligntok.tests.harness;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that talks to the real broker and registry: {@link RealStack} parameters are
 * resolved by {@link RealStackExtension}. Tagged {@code real-stack} so a run can include or exclude
 * these tests ({@code -Dgroups=real-stack}, {@code -DexcludedGroups=real-stack}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag("real-stack")
@ExtendWith(RealStackExtension.class)
public @interface WithRealStack {}
