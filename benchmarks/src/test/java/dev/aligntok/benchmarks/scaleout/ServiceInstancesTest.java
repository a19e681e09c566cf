package dev.aligntok.benchmarks.scaleout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ServiceInstancesTest {
  @Test
  void kafkaPropertiesBecomeTheServicesEnvironmentVariables() {
    // The variable the service documents for standbys (docs/operations.md), and dots and dashes as underscores.
    assertEquals("ALIGNTOK_KAFKA_PROPERTIES_NUM_STANDBY_REPLICAS",
        ServiceInstances.propertyVariable("num.standby.replicas"));
    assertEquals("ALIGNTOK_KAFKA_PROPERTIES_MAX_WARMUP_REPLICAS",
        ServiceInstances.propertyVariable("max.warmup-replicas"));
  }
}
