package dev.aligntok.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RegistryErrorsTest {
  private static final String REQUEST = "POST http://r/subjects/s/versions";

  @Test
  void mapsConfluentErrorCodesToTypedExceptions() {
    assertInstanceOf(SubjectNotFoundException.class, error(404, 40401));
    assertInstanceOf(VersionNotFoundException.class, error(404, 40402));
    assertInstanceOf(SchemaNotFoundException.class, error(404, 40403));
    assertInstanceOf(IncompatibleSchemaException.class, error(409, 409));
    assertInstanceOf(InvalidSchemaException.class, error(422, 42201));
    assertInstanceOf(RegistryServerException.class, error(500, 50001));
    assertInstanceOf(RegistryServerException.class, error(429, 429));
    assertInstanceOf(RegistryAuthException.class, error(401, 401));
  }

  @Test
  void messageNamesTheRequestStatusCodeAndRegistryMessage() {
    SchemaRegistryException e = error(409, 409);
    assertEquals(409, e.errorCode());
    assertTrue(e.getMessage().contains(REQUEST), e.getMessage());
    assertTrue(e.getMessage().contains("HTTP 409"), e.getMessage());
    assertTrue(e.getMessage().contains("the registry said so"), e.getMessage());
  }

  @Test
  void aConcurrentFirstRegistrationIsRetriedNotTakenForAnIncompatibleSchema() {
    // What Apicurio 3 answered when three service instances registered a topic's first schema at once.
    SchemaRegistryException race = RegistryErrors.fromResponse(REQUEST, 409,
        "{\"error_code\":409,\"message\":\"An artifact with ID 's-value' in group 'null' already exists.\"}");
    assertInstanceOf(ConcurrentRegistrationException.class, race);
    assertTrue(race.isRetriable());
    assertTrue(!error(409, 409).isRetriable(), "an incompatible schema is final");
  }

  @Test
  void onlyServerSideFailuresAreRetriable() {
    assertTrue(error(503, 50003).isRetriable());
    assertTrue(!error(404, 40403).isRetriable());
  }

  @Test
  void nonJsonBodiesStillGiveAClearMessage() {
    SchemaRegistryException e = RegistryErrors.fromResponse(REQUEST, 502, "<html><body>Bad Gateway</body></html>");
    assertInstanceOf(RegistryServerException.class, e);
    assertEquals(502, e.errorCode());
    assertTrue(e.getMessage().contains("Bad Gateway"), e.getMessage());
  }

  private static SchemaRegistryException error(int status, int code) {
    return RegistryErrors.fromResponse(REQUEST, status,
        "{\"error_code\":" + code + ",\"message\":\"the registry said so\"}");
  }
}
