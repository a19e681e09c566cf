/**
 * The topic catalogue: every topic of the product paired with the Avro event type of its values
 * (generated into {@code dev.aligntok.events} from {@code src/main/avro}) and its serde
 * ({@link dev.aligntok.schemas.EventTopic}, {@link dev.aligntok.schemas.EventTopics}).
 *
 * <p>Layering: the top of the schemas module; may use {@code serde}, {@code registry} and the
 * generated events; no package of this module uses it.
 */
package dev.aligntok.schemas;
