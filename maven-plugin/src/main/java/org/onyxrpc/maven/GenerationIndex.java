package org.onyxrpc.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the last successful generation read and wrote, kept in a small text file under
 * {@code target}: the settings that shape the output, every file read (the {@code .idl} and
 * {@code .x} inputs, and what they import and {@code #include}) with the SHA-256 of its content,
 * and every Java file written (relative to the output directory).
 *
 * <pre>
 * # Onyx generation index: delete this file to force regeneration
 * settings 0.1.0-SNAPSHOT|include=src/main/idl
 * input 3b2c…  src/main/idl/calc.idl
 * output com/example/calc/CalculatorV1.java
 * </pre>
 *
 * <p>Generation is all or nothing (imports make partial regeneration unsafe), so the index only
 * answers two questions: did anything change, and which outputs did the last run write.
 *
 * @param settings everything besides the inputs that shapes the output (plugin version, include path)
 * @param inputs input path (as shown to the user) to the hex SHA-256 of its content, sorted
 * @param outputs generated files relative to the output directory, sorted
 */
record GenerationIndex(String settings, Map<String, String> inputs, List<String> outputs) {
  private static final String HEADER = "# Onyx generation index: delete this file to force regeneration";

  GenerationIndex {
    inputs = Map.copyOf(new TreeMap<>(inputs));
    outputs = outputs.stream().sorted().toList();
  }

  /** True when this run would read exactly what the indexed run read, with the same settings. */
  boolean sameInputs(GenerationIndex other) {
    return settings.equals(other.settings) && inputs.equals(other.inputs);
  }

  /** The value of {@code name=value} among the settings, if there is one. */
  Optional<String> setting(String name) {
    for (String setting : settings.split("\\|")) {
      if (setting.startsWith(name + "=")) {
        return Optional.of(setting.substring(name.length() + 1));
      }
    }
    return Optional.empty();
  }

  /** Reads an index; empty when there is none or it cannot be understood (then everything is regenerated). */
  static Optional<GenerationIndex> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
        return Optional.empty();
      }
      String settings = null;
      Map<String, String> inputs = new TreeMap<>();
      List<String> outputs = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        if (line.startsWith("settings ")) {
          settings = line.substring("settings ".length());
        } else if (line.startsWith("input ")) {
          String[] parts = line.substring("input ".length()).split(" ", 2);
          if (parts.length != 2) {
            return Optional.empty();
          }
          inputs.put(parts[1], parts[0]);
        } else if (line.startsWith("output ")) {
          outputs.add(line.substring("output ".length()));
        } else if (!line.isBlank()) {
          return Optional.empty();
        }
      }
      return settings == null ? Optional.empty() : Optional.of(new GenerationIndex(settings, inputs, outputs));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Writes the index atomically where the file system allows, so a killed build leaves the old one or the new one. */
  void write(Path file) throws IOException {
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    text.append("settings ").append(settings).append('\n');
    inputs.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> text.append("input ").append(e.getValue()).append(' ').append(e.getKey()).append('\n'));
    outputs.forEach(o -> text.append("output ").append(o).append('\n'));
    Files.createDirectories(file.getParent());
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temporary, text, StandardCharsets.UTF_8);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The hex SHA-256 of a file's bytes. */
  static String hash(Path file) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
