package dev.aligntok.schemas;

import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.events.ImageEvent;
import dev.aligntok.events.LatentEvent;
import java.util.List;

/** Every topic of the product with its value type (docs/architecture.md §3, the event table). Keys are plain UTF-8 ids. */
public final class EventTopics {
  public static final EventTopic<ImageEvent> IMAGES = new EventTopic<>("aligntok.images", ImageEvent.class, false);
  public static final EventTopic<LatentEvent> LATENTS = new EventTopic<>("aligntok.latents", LatentEvent.class, false);
  public static final EventTopic<GenerationRequest> PROMPTS = new EventTopic<>("aligntok.prompts", GenerationRequest.class, false);
  public static final EventTopic<GeneratedImage> GENERATED = new EventTopic<>("aligntok.generated", GeneratedImage.class, false);
  public static final EventTopic<GenerationStatus> STATUS = new EventTopic<>("aligntok.status", GenerationStatus.class, true);
  public static final EventTopic<DeadLetter> DLQ = new EventTopic<>("aligntok.dlq", DeadLetter.class, false);

  public static final List<EventTopic<?>> ALL = List.of(IMAGES, LATENTS, PROMPTS, GENERATED, STATUS, DLQ);

  private EventTopics() {}
}
