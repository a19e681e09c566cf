package dev.aligntok.tests.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.tests.architecture.SourcePackages.Import;
import dev.aligntok.tests.architecture.SourcePackages.SourcePackage;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Holds the code to the layering that {@code docs/architecture.md} declares: inside a module a
 * package imports only packages on lower levels (so there is no package loop and nothing imports
 * upwards), and a module imports only the modules it is declared to depend on.
 */
class PackageLayersTest {
  private static final Path REPO = Path.of(System.getProperty("aligntok.repo.root", "..")).toAbsolutePath().normalize();
  private static final SourcePackages SOURCE = SourcePackages.read(REPO);
  private static final DeclaredLayers DECLARED = DeclaredLayers.read(REPO.resolve("docs/architecture.md"));

  @Test
  void everyPackageHasItsPlaceInTheDocument() {
    Set<String> unplaced = new TreeSet<>(SOURCE.all().keySet());
    unplaced.removeAll(DECLARED.levelOfPackage().keySet());
    Set<String> stale = new TreeSet<>(DECLARED.levelOfPackage().keySet());
    stale.removeAll(SOURCE.all().keySet());
    assertTrue(unplaced.isEmpty(), "packages missing from the layers block of docs/architecture.md: " + unplaced);
    assertTrue(stale.isEmpty(), "the layers block of docs/architecture.md names packages that do not exist: " + stale);
    assertTrue(SOURCE.all().size() > 40, "found only " + SOURCE.all().size() + " packages under " + REPO);
  }

  @Test
  void packagesImportOnlyLowerLayersOfTheirModule() {
    List<String> violations = new ArrayList<>();
    for (SourcePackage from : SOURCE.all().values()) {
      for (Import anImport : from.imports()) {
        String to = SOURCE.packageOf(anImport.imported()).orElse(null);
        if (to == null || to.equals(from.name()) || !SOURCE.all().get(to).module().equals(from.module())) {
          continue;
        }
        Integer fromLevel = DECLARED.levelOfPackage().get(from.name());
        Integer toLevel = DECLARED.levelOfPackage().get(to);
        if (fromLevel != null && toLevel != null && toLevel >= fromLevel) {
          violations.add(from.name() + " (level " + fromLevel + ") imports " + to + " (level " + toLevel + "): "
              + anImport.file() + " -> " + anImport.imported());
        }
      }
    }
    assertTrue(violations.isEmpty(), "imports that go sideways or up (see docs/architecture.md, Package layers):\n  "
        + String.join("\n  ", violations));
  }

  @Test
  void modulesImportOnlyTheirDeclaredDependencies() {
    Set<String> violations = new TreeSet<>();
    for (SourcePackage from : SOURCE.all().values()) {
      Set<String> reachable = reachableFrom(from.module());
      for (Import anImport : from.imports()) {
        SOURCE.packageOf(anImport.imported()).map(to -> SOURCE.all().get(to).module())
            .filter(module -> !module.equals(from.module()) && !reachable.contains(module))
            .ifPresent(module -> violations.add(from.module() + " -> " + module + " (" + from.name() + "."
                + anImport.file() + " imports " + anImport.imported() + ")"));
      }
    }
    assertTrue(violations.isEmpty(), "module imports not declared in the modules block of docs/architecture.md:\n  "
        + String.join("\n  ", violations));
  }

  @Test
  void theModuleGraphIsTheDocumentedOne() {
    Set<String> modules = new TreeSet<>();
    SOURCE.all().values().forEach(p -> modules.add(p.module()));
    assertEquals(modules, new TreeSet<>(DECLARED.moduleDependencies().keySet()),
        "the modules block of docs/architecture.md must list exactly the modules with main code");
    assertTrue(reachableFrom("trainer").containsAll(List.of("model-export", "inference")));
    assertTrue(!reachableFrom("stream-app").contains("trainer") && !reachableFrom("stream-app").contains("model-export"),
        "the service must not depend on the trainer or the exporter");
    assertTrue(!reachableFrom("inference").contains("schemas"), "inference must not know the event contracts");
  }

  private static Set<String> reachableFrom(String module) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(module));
    while (!todo.isEmpty()) {
      for (String next : DECLARED.moduleDependencies().getOrDefault(todo.pop(), Set.of())) {
        if (seen.add(next)) {
          todo.push(next);
        }
      }
    }
    return seen;
  }
}
