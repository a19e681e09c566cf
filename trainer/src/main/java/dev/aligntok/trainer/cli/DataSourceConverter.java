package dev.aligntok.trainer.cli;

import dev.aligntok.trainer.data.DataSource;
import dev.aligntok.trainer.data.DataSources;
import java.util.Iterator;
import picocli.CommandLine;

/** Turns "emoji-google" into its {@link DataSource}, and lists the valid keys for help and completion. */
final class DataSourceConverter implements CommandLine.ITypeConverter<DataSource>, Iterable<String> {
  @Override
  public DataSource convert(String value) {
    return DataSources.byKey(value).orElseThrow(() -> new CommandLine.TypeConversionException(
        "unknown source '" + value + "'; choose from " + String.join(", ", DataSources.keys())));
  }

  @Override
  public Iterator<String> iterator() {
    return DataSources.keys().iterator();
  }
}
