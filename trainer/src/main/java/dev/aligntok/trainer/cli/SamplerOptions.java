package dev.aligntok.trainer.cli;

import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.inference.sampling.Solver;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The sampler's options, shared by {@code sample} and {@code eval generation}. */
final class SamplerOptions {
  @Option(names = "--steps", paramLabel = "N", defaultValue = "50",
      description = "ODE steps from noise to data (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--solver", paramLabel = "SOLVER", defaultValue = "EULER",
      description = "EULER or HEUN (Heun costs two model calls per step; default: ${DEFAULT-VALUE}).")
  Solver solver;

  @Option(names = "--shift", paramLabel = "S", defaultValue = "1",
      description = "Timestep shift s: t' = s·t / (1 + (s−1)·t); s > 1 spends more steps near noise (default: ${DEFAULT-VALUE}).")
  float shift;

  @Option(names = "--cfg", paramLabel = "W", defaultValue = "3",
      description = "Classifier-free guidance scale; 1 = no guidance (default: ${DEFAULT-VALUE}).")
  float cfg;

  @Option(names = "--cfg-interval", paramLabel = "LO,HI", defaultValue = "0,1", split = ",",
      description = "Guide only while t is inside [LO, HI] (t = 1 is noise; default: ${DEFAULT-VALUE}).")
  float[] cfgInterval;

  SamplerSettings settings(CommandLine commandLine) {
    if (cfgInterval.length != 2) {
      throw new CommandLine.ParameterException(commandLine, "--cfg-interval needs two numbers LO,HI, got " + cfgInterval.length);
    }
    try {
      return new SamplerSettings(steps, solver, shift, cfg, cfgInterval[0], cfgInterval[1]);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(commandLine, e.getMessage(), e);
    }
  }
}
