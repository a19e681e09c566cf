package dev.aligntok.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both evaluations refuse a bootstrap of one resample or fewer as an argument error, before any work. */
class FrechetBootstrapOptionTest {
  @ParameterizedTest
  @ValueSource(strings = {"tokenizer", "generation"})
  void aResampleCountBelowTwoIsAnArgumentErrorNamingTheOption(String evaluation) {
    for (String resamples : new String[] {"1", "-5"}) {
      StringWriter err = new StringWriter();
      String[] args = evaluation.equals("tokenizer")
          ? new String[] {"eval", "tokenizer", "--stage", "1", "--run", "no-such-run", "--frechet-bootstrap", resamples}
          : new String[] {"eval", "generation", "--dit", "no-such-dit", "--frechet-bootstrap", resamples};
      int exit = AlignTokCli.commandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)).execute(args);
      assertEquals(2, exit, err.toString());
      assertTrue(err.toString().contains("--frechet-bootstrap must be 0 (none) or >= 2, got " + resamples), err.toString());
    }
  }
}
