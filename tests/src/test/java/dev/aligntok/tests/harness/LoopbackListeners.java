package dev.aligntok.tests.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.ServerSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the test kit's listeners bind to 127.0.0.1 instead of the wildcard address.
 *
 * <p>{@code KafkaClusterTestKit} 4.1.1 pre-binds one socket per node and listener with {@code new
 * InetSocketAddress(0)} (all interfaces) and hands those sockets to the servers whatever host
 * {@code listeners} names. It only binds sockets it does not have yet, so seeding its (private)
 * table with loopback-bound sockets before {@code build()} keeps everything on loopback. If a Kafka
 * upgrade changes those internals this degrades, with a warning, to the kit's own behaviour: the
 * cluster still works, it is just reachable from other hosts.
 */
final class LoopbackListeners {

  private static final Logger log = LoggerFactory.getLogger(LoopbackListeners.class);

  private LoopbackListeners() {}

  static void preBind(KafkaClusterTestKit.Builder builder, TestKitNodes nodes) {
    Map<Integer, Map<String, ServerSocketChannel>> sockets;
    try {
      Object manager = readField(builder, "socketFactoryManager");
      @SuppressWarnings("unchecked")
      Map<Integer, Map<String, ServerSocketChannel>> table =
          (Map<Integer, Map<String, ServerSocketChannel>>) readField(manager, "sockets");
      sockets = table;
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn(
          "Kafka test kit internals changed ({}); its listeners will bind to all interfaces",
          e.toString());
      return;
    }
    try {
      for (int id : nodes.controllerNodes().keySet()) {
        bind(sockets, id, nodes.controllerListenerName().value());
      }
      for (int id : nodes.brokerNodes().keySet()) {
        bind(sockets, id, nodes.brokerListenerName().value());
      }
    } catch (IOException e) {
      sockets.values().forEach(m -> m.values().forEach(LoopbackListeners::closeQuietly));
      throw new UncheckedIOException(
          "cannot bind a Kafka listener on " + FreePorts.LOOPBACK_HOST, e);
    }
  }

  private static void bind(
      Map<Integer, Map<String, ServerSocketChannel>> sockets, int nodeId, String listener)
      throws IOException {
    Map<String, ServerSocketChannel> forNode =
        sockets.computeIfAbsent(nodeId, k -> new HashMap<>());
    if (!forNode.containsKey(listener)) {
      forNode.put(
          listener,
          ServerSocketFactory.INSTANCE.openServerSocket(
              listener, new InetSocketAddress(FreePorts.loopback(), 0), -1, -1));
    }
  }

  private static Object readField(Object target, String name) throws ReflectiveOperationException {
    Field field = target.getClass().getDeclaredField(name);
    field.setAccessible(true);
    Object value = field.get(target);
    if (value == null) {
      throw new NoSuchFieldException(target.getClass().getName() + "." + name + " is null");
    }
    return value;
  }

  private static void closeQuietly(ServerSocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // best effort while failing anyway
    }
  }
}
