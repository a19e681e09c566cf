package dev.aligntok.stream.service;

import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.ServerSocketFactory;

/**
 * A real one-node KRaft cluster in this JVM, listening on 127.0.0.1 only; {@link #close} stops it
 * and deletes its data. (The tests module has a fuller harness; stream-app cannot depend on it.)
 */
final class LoopbackKafka implements AutoCloseable {
  private final KafkaClusterTestKit cluster;

  private LoopbackKafka(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  static LoopbackKafka start(Path baseDirectory) throws Exception {
    TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
        .setBaseDirectory(baseDirectory).build();
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
    // One node: every internal topic (offsets, transactions) has one replica.
    builder.setConfigProp("offsets.topic.replication.factor", "1");
    builder.setConfigProp("offsets.topic.num.partitions", "1");
    builder.setConfigProp("transaction.state.log.replication.factor", "1");
    builder.setConfigProp("transaction.state.log.min.isr", "1");
    builder.setConfigProp("transaction.state.log.num.partitions", "1");
    builder.setConfigProp("group.initial.rebalance.delay.ms", "0");
    // As in production: only what the service creates exists.
    builder.setConfigProp("auto.create.topics.enable", "false");
    bindToLoopback(builder, nodes);
    KafkaClusterTestKit cluster = builder.build();
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      return new LoopbackKafka(cluster);
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * The kit binds each listener's socket to the wildcard address before the servers start, and
   * binds only sockets it does not hold yet: handing it loopback-bound sockets first keeps the
   * cluster off the network. Its socket table is private, hence the reflection.
   */
  @SuppressWarnings("unchecked")
  private static void bindToLoopback(KafkaClusterTestKit.Builder builder, TestKitNodes nodes) throws Exception {
    Object manager = field(builder, "socketFactoryManager");
    Map<Integer, Map<String, ServerSocketChannel>> sockets =
        (Map<Integer, Map<String, ServerSocketChannel>>) field(manager, "sockets");
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    for (int id : nodes.controllerNodes().keySet()) {
      String listener = nodes.controllerListenerName().value();
      sockets.computeIfAbsent(id, k -> new HashMap<>())
          .put(listener, ServerSocketFactory.INSTANCE.openServerSocket(listener, loopback, -1, -1));
    }
    for (int id : nodes.brokerNodes().keySet()) {
      String listener = nodes.brokerListenerName().value();
      sockets.computeIfAbsent(id, k -> new HashMap<>())
          .put(listener, ServerSocketFactory.INSTANCE.openServerSocket(listener, loopback, -1, -1));
    }
  }

  private static Object field(Object target, String name) throws ReflectiveOperationException {
    Field field = target.getClass().getDeclaredField(name);
    field.setAccessible(true);
    return field.get(target);
  }

  String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping Kafka", e);
    } catch (Exception e) {
      throw new IllegalStateException("Kafka did not stop cleanly: " + e, e);
    }
  }
}
