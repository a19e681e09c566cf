package dev.aligntok.tests.harness;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link RealStack} parameters (constructor, lifecycle and test methods). The stack is
 * started on first use, shared by every test class of the run (it lives in the root context's
 * store) and stopped when the run ends. If it fails to start, every test asking for it fails with
 * the same error; it is not retried.
 *
 * <p>Reads two system properties, set by the tests module's surefire configuration: {@value
 * #APICURIO_DIR_PROPERTY} (required: the unpacked Apicurio Registry distribution) and {@value
 * #WORK_DIR_PROPERTY} (optional: where logs and broker data go, default {@code target/real-stack}).
 */
public final class RealStackExtension implements ParameterResolver {

  public static final String APICURIO_DIR_PROPERTY = "aligntok.apicurio.dir";
  public static final String WORK_DIR_PROPERTY = "aligntok.tests.work.dir";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RealStackExtension.class);

  /** The run's stack, starting it if this is the first use. */
  public static RealStack stack(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(Running.class, key -> Running.start(), Running.class)
        .stack();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RealStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return stack(context);
  }

  /** The root store closes {@link ExtensionContext.Store.CloseableResource}s when the run ends. */
  private record Running(RealStack stack) implements ExtensionContext.Store.CloseableResource {

    static Running start() {
      String apicurioDir = System.getProperty(APICURIO_DIR_PROPERTY);
      if (apicurioDir == null || apicurioDir.isBlank()) {
        throw new ParameterResolutionException(
            "System property "
                + APICURIO_DIR_PROPERTY
                + " is not set. The tests module's surefire configuration sets it to"
                + " target/apicurio, where its build unpacks Apicurio Registry; outside Maven run"
                + " `mvn -pl tests generate-test-resources` once and pass -D"
                + APICURIO_DIR_PROPERTY
                + "=<repo>/tests/target/apicurio.");
      }
      Path workDir =
          Path.of(System.getProperty(WORK_DIR_PROPERTY, "target/real-stack")).toAbsolutePath();
      try {
        return new Running(RealStack.start(Path.of(apicurioDir).toAbsolutePath(), workDir));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the real stack", e);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the real stack: " + e, e);
      }
    }

    @Override
    public void close() {
      stack.close();
    }
  }
}
