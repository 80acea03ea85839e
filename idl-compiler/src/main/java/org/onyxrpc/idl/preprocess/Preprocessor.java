package org.onyxrpc.idl.preprocess;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.source.Location;
import org.onyxrpc.idl.source.SourceText;

/**
 * The C preprocessor as {@code rpcgen} runs it over a {@code .x} file: line continuations,
 * {@code #define}/{@code #undef} of object-like macros (replaced in the RPCL text),
 * {@code #if}/{@code #ifdef}/{@code #ifndef}/{@code #elif}/{@code #else}/{@code #endif},
 * {@code #include "…"} (beside the including file, then the include directories) and
 * {@code <…>} (include directories), {@code __has_include} in conditions, {@code #line},
 * {@code #error} and {@code #warning}.
 * Directives and skipped lines become empty lines, so the text keeps its line numbers, and the
 * {@link LineMap} of the result names the file and line of every line after includes.
 *
 * <p>{@code %} pass-through lines carry C for rpcgen's output and mean nothing to Java; they are
 * blanked, and their {@code %#define NAME value} lines are returned so that the parser can keep
 * the integer ones as constants (C code that uses the file sees them so).
 */
public final class Preprocessor {
  /**
   * The symbols rpcgen defines, one per kind of C output. Java generation makes the types, the
   * codecs, the client and the server at once, so all four are set; {@code RPC_TBL} (rpcgen's
   * dispatch tables) has no Java counterpart and is not.
   */
  public static final List<String> RPCGEN_SYMBOLS = List.of("RPC_HDR", "RPC_XDR", "RPC_CLNT", "RPC_SVC");

  /**
   * The macros rpcgen's cpp (gcc's) defines on every Linux, each 1; not those that differ between
   * machines ({@code __x86_64__}, {@code __LP64__}), as the Java is every machine's.
   */
  public static final List<String> CPP_SYMBOLS = List.of("__STDC__", "__STDC_HOSTED__", "__ELF__",
      "__unix__", "__unix", "unix", "__linux__", "__linux", "linux", "__gnu_linux__");

  private static final int MAX_INCLUDE_DEPTH = 32;
  private static final Pattern DIRECTIVE_NAME = Pattern.compile("#[ \\t]*(?=\\S)");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * The preprocessed text, where its lines came from, the {@code %#define}s met, and the headers
   * of the {@code %#include} lines met ({@code "internal.h"}, {@code <rpc/auth_sys.h>}): C that
   * rpcgen's output includes, whose names a file may use although Onyx never reads them.
   *
   * @param text the preprocessed text
   * @param lines where each of its lines came from
   * @param passThroughDefines the {@code %#define} lines met
   * @param cIncludes the headers of the {@code %#include} lines met
   * @param passThroughTypedefs the {@code %typedef}s met
   * @param skippedDefinitions what lines skipped only because idlc defines one of rpcgen's symbols would have declared
   * @param passThroughConstants the {@code %enum} and {@code %const} constants met
   * @param includeMissing whether an {@code #include} was not found: names the file uses may be
   *     declared there
   */
  public record Result(String text, LineMap lines, List<PassThroughDefine> passThroughDefines,
      List<String> cIncludes, List<PassThroughTypedef> passThroughTypedefs,
      List<SkippedDefinition> skippedDefinitions, List<PassThroughConstant> passThroughConstants,
      boolean includeMissing) {}

  /**
   * The macros defined before a file is read: cpp's and rpcgen's, then {@code -D}, less {@code
   * -U}. A name of {@code defines} may have parameters, {@code F(x, y)}, for a function-like macro.
   *
   * @param defines the {@code -D} macros: name (with any parameters) to replacement
   * @param undefines the {@code -U} names
   * @return every macro defined before a file is read
   */
  public static Map<String, String> predefined(Map<String, String> defines, Collection<String> undefines) {
    return PredefinedMacros.of(defines, undefines);
  }

  /**
   * How the error of a missing include file or import says to add a directory, in idlc's words;
   * a tool that names its include directories otherwise (the Maven plugin's {@code
   * <includeDirectories>}) puts its own words in this text's place.
   */
  public static final String INCLUDE_DIRECTORY_HINT = "add a directory with -I";

  private final List<Path> includeDirs;
  private final Map<String, String> predefined;
  private final Function<Path, String> display;
  private final Diagnostics diagnostics;
  private final SourceLines sourceLines = new SourceLines();
  private final Set<Path> included = new HashSet<>();
  /** The files of this run that said {@code #pragma once}: cpp reads each of them once only. */
  private Set<Path> once;
  /** The directory where the file being read was found by its #include; null for the primary file. */
  private Path foundIn;
  /** The file being read, and how deep in includes: where {@code __has_include} searches from. */
  private Path reading;
  private int readingDepth;
  private boolean includeMissing;

  private Macros macros;
  private StringBuilder text;
  private LineMap.Builder lines;
  private PassThroughLines passThrough;
  private List<SkippedDefinition> skipped;
  private TextLines textLines;

  /**
   * {@code display} names a file in diagnostics, as the file loader does.
   *
   * @param includeDirs where {@code #include} looks after the including file's directory
   * @param predefined the macros each file starts with, from {@link #predefined}
   * @param display a file's name in diagnostics
   * @param diagnostics where problems are reported
   */
  public Preprocessor(List<Path> includeDirs, Map<String, String> predefined,
      Function<Path, String> display, Diagnostics diagnostics) {
    this.includeDirs = List.copyOf(includeDirs);
    this.predefined = Map.copyOf(predefined);
    this.display = display;
    // Locations here are characters of a line, which gcc's columns count otherwise (tabs).
    this.diagnostics = diagnostics.withColumns(sourceLines::displayed);
  }

  /**
   * Preprocesses {@code source}, the text of {@code file}; each file starts with only the predefined macros.
   *
   * @param file the file's path, for {@code #include} and diagnostics
   * @param source its text
   * @return the expanded text with its line map, and what the directives declared
   */
  public Result run(Path file, String source) {
    macros = new Macros(predefined);
    text = new StringBuilder();
    lines = new LineMap.Builder();
    passThrough = new PassThroughLines(this::expanded);
    skipped = new ArrayList<>();
    once = new HashSet<>();
    textLines = new TextLines(macros, diagnostics, (line, from, number) -> {
      text.append(line).append('\n');
      lines.add(from, number);
    });
    foundIn = null;
    reading = file;
    readingDepth = 0;
    includeMissing = false;
    process(file, source, 0);
    return new Result(text.toString(), lines.build(display.apply(file), sourceLines::displayed),
        List.copyOf(passThrough.defines), List.copyOf(passThrough.cIncludes),
        List.copyOf(passThrough.typedefs), List.copyOf(skipped), List.copyOf(passThrough.constants),
        includeMissing);
  }

  /**
   * Every file an {@code #include} of the files run so far read (absolute, normalized).
   *
   * @return the included files
   */
  public Set<Path> included() {
    return Set.copyOf(included);
  }

  private void emit(String line, String file, int number) {
    textLines.emit(line, file, number);
  }

  private static final String TOO_DEEP = "nested too deeply for idlc to read (macros that expand to"
      + " one another thousands deep, or an #if of thousands of brackets)";

  private void process(Path path, String source, int depth) {
    String[] physical = source.split("\r\n|\r|\n", -1);
    sourceLines.add(display.apply(path), physical);
    NulCharacters.blank(physical, display.apply(path), diagnostics);
    Deque<Conditional> conditionals = new ArrayDeque<>();
    LinePosition position = new LinePosition(display.apply(path));
    int i = 0;
    while (i < physical.length) {
      int first = i;
      LogicalLine logical = LogicalLine.read(physical, first, position.file, position.lineBase, diagnostics);
      i = logical.next();
      String line = logical.text();
      String file = position.file;
      int number = first + 1 + position.lineBase;
      macros.newLine(file, number, line.length());
      try {
        boolean active = conditionals.isEmpty() || conditionals.peek().active;
        char lead = TextLines.firstNonSpace(line);
        boolean directive = !textLines.inComment() && lead == '#';
        String bare = null;
        if (directive) {
          bare = textLines.stripComments(line);
          // A comment is one space to cpp, newlines and all: the directive goes on after its end
          // ('#define N /* the' and 'size */ 16' define N as 16).
          while (textLines.inComment() && i < physical.length) {
            bare += " " + textLines.stripComments(physical[i++]);
          }
        } else if (!active) {
          skippedLine(textLines.stripComments(line), file, number, conditionals.peek());
        } else if (!textLines.inComment() && lead == '%') {
          String c = textLines.stripComments(line);
          int hasInclude = HasInclude.firstIn(c);
          if (hasInclude >= 0) {
            diagnostics.error(new Location(file, number, hasInclude + 1), HasInclude.outsideDirective(
                c.startsWith("__has_include_next", hasInclude) ? "__has_include_next" : "__has_include"));
          }
          passThrough.line(c, file, number);
        } else {
          textLines.rpcl(physical, first, i, file, number);
          continue;
        }
        emit("", file, number);
        for (int k = first + 1; k < i; k++) {
          emit("", file, k + 1 + position.lineBase);
        }
        if (directive) {
          // After the line is emitted, so that an included file's lines follow it. Located at its
          // name, as cpp locates it (at the '#' when there is none).
          Matcher directiveName = DIRECTIVE_NAME.matcher(line);
          directive(bare.substring(bare.indexOf('#') + 1).strip(),
              new Location(file, number,
              (directiveName.find() ? directiveName.end() : line.indexOf('#')) + 1), path, conditionals, depth, position, i);
        }
      } catch (StackOverflowError e) {
        // Macros that expand to one another thousands deep (cpp has no limit): told at the line.
        diagnostics.error(new Location(file, number, 1), TOO_DEEP);
      }
    }
    // The end of the file's last line (not the empty text after its final newline): where cpp
    // tells of a macro call whose arguments do not end.
    int last = physical.length - (physical.length > 1 && physical[physical.length - 1].isEmpty() ? 2 : 1);
    textLines.endOfFile(new Location(position.file, last + 1 + position.lineBase,
        physical[last].length() + 1));
    for (Conditional open : conditionals) {
      diagnostics.error(open.location, "#if without #endif");
    }
  }

  private void directive(String body, Location at, Path path, Deque<Conditional> conditionals,
      int depth, LinePosition position, int nextPhysicalIndex) {
    Matcher name = NAME.matcher(body);
    String keyword = name.lookingAt() ? name.group() : "";
    String rest = body.substring(keyword.length()).strip();
    boolean active = conditionals.isEmpty() || conditionals.peek().active;
    switch (keyword) {
      case "ifdef", "ifndef" -> conditionals.push(openIfdef(keyword, rest, at, active));
      case "if" -> conditionals.push(openIf(rest, at, active));
      case "elif" -> elif(conditionals.peek(), rest, at);
      case "else" -> {
        extraTokens("else", rest, conditionals.peek(), at);
        elseBranch(conditionals.peek(), at);
      }
      case "endif" -> {
        Conditional closed = conditionals.poll();
        if (closed == null) {
          diagnostics.error(at, "#endif without #if");
        }
        extraTokens("endif", rest, closed, at);
      }
      default -> {
        if (active) {
          activeDirective(keyword, body, rest, at, path, depth, position, nextPhysicalIndex);
        } else if (keyword.equals("define") && conditionals.peek().skippedFor != null) {
          Matcher macro = NAME.matcher(rest);
          if (macro.lookingAt()) {
            skipped.add(new SkippedDefinition(macro.group(), at, conditionals.peek().branch,
                conditionals.peek().skippedFor));
          }
        }
      }
    }
  }

  /** The conditional an {@code #ifdef} or {@code #ifndef} opens, inside an {@code active} one or not. */
  private Conditional openIfdef(String keyword, String rest, Location at, boolean active) {
    boolean condition = false;
    String macro = null;
    if (active) {
      macro = firstName(rest, "#" + keyword, at);
      condition = macro != null && macros.isDefined(macro) == keyword.equals("ifdef");
      if (macro != null && !rest.substring(macro.length()).isBlank()) {
        diagnostics.warning(at, extraTokens(keyword));
      }
    }
    String opening = "#" + keyword + " " + rest;
    Conditional open = new Conditional(active, condition, at, opening);
    // Without a macro name the branch is skipped for that mistake, whatever is defined.
    open.entered(macro == null ? "0" : (keyword.equals("ifdef") ? "" : "!") + "defined(" + macro + ")",
        "'" + opening + "'", macros);
    return open;
  }

  /** The conditional an {@code #if} opens, inside an {@code active} one or not. */
  private Conditional openIf(String rest, Location at, boolean active) {
    try {
      Conditional open = new Conditional(active, active && condition(rest, at), at, "#if " + rest);
      open.entered(active ? rest : null, "'#if " + rest + "'", macros);
      return open;
    } catch (StackOverflowError e) {
      // Told at the directive, and still opened, so that its #endif closes it.
      diagnostics.error(at, TOO_DEEP);
      return new Conditional(active, false, at, "#if " + rest);
    }
  }

  /**
   * cpp's warning for text after an {@code #else} or {@code #endif} of {@code open} (comments are
   * gone already), given where cpp gives it: not in a skipped group, where it reads no directive.
   */
  private void extraTokens(String keyword, String rest, Conditional open, Location at) {
    if (!rest.isEmpty() && open != null && open.parentActive) {
      diagnostics.warning(at, extraTokens(keyword));
    }
  }

  private static String extraTokens(String keyword) {  // cpp's words
    return "extra tokens at end of #" + keyword + " directive (ignored, as cpp ignores them)";
  }

  /** An {@code #elif} of {@code open}, the innermost conditional (null: none). */
  private void elif(Conditional open, String rest, Location at) {
    if (open == null || open.sawElse) {
      diagnostics.error(at, open == null ? "#elif without #if" : "#elif after #else");
      return;
    }
    open.active = open.parentActive && !open.taken && condition(rest, at);
    open.taken |= open.active;
    open.entered(rest, "the '#elif " + rest + "' of '" + open.opening + "'", macros);
  }

  /** An {@code #else} of {@code open}, the innermost conditional (null: none). */
  private void elseBranch(Conditional open, Location at) {
    if (open == null || open.sawElse) {
      diagnostics.error(at, open == null ? "#else without #if" : "#else after #else");
      return;
    }
    open.sawElse = true;
    open.active = open.parentActive && !open.taken;
    open.taken = true;
    open.entered(null, "the '#else' of '" + open.opening + "'", macros);
  }

  private void activeDirective(String keyword, String body, String rest, Location at, Path path, int depth,
      LinePosition position, int nextPhysicalIndex) {
    switch (keyword) {
      case "define" -> Definitions.define(rest, at, Definitions.nameAt(at, "define", body), macros, diagnostics);
      case "undef" -> {
        String macro = firstName(rest, "#undef", at);
        if (macro != null) {
          macros.undefine(macro);
        }
      }
      case "include", "include_next" -> include(rest, at, path, depth, keyword.equals("include_next"));
      case "line" -> line(rest, at, position, nextPhysicalIndex);
      case "error" -> diagnostics.error(at, "#error " + TextLines.blanksCollapsed(rest));
      case "warning" -> diagnostics.warning(at, "#warning " + TextLines.blanksCollapsed(rest));
      case "pragma" -> Pragmas.apply(rest, at, path, once, macros, diagnostics);
      case "ident", "sccs" -> { }
      case "" -> {
        // "# 12 \"file\"" is a line marker as cpp writes it; "# -- text --" (a shell-style
        // comment, which cpp rejects too) is no #line, whose "needs a line number" would mislead.
        if (!rest.isEmpty() && Character.isDigit(rest.charAt(0))) {
          line(rest, at, position, nextPhysicalIndex);
        } else if (!rest.isEmpty()) {
          diagnostics.error(at, "'#' begins a preprocessor line: it must be followed by a "
              + "directive name or a line number (use /* */ for comments)");
        }
      }
      default -> diagnostics.error(at, "unknown preprocessor directive '#" + keyword + "'");
    }
  }

  private void line(String rest, Location at, LinePosition position, int nextPhysicalIndex) {
    // cpp replaces the macros of a #line that does not start with its number ('#line LN').
    String text = rest.isEmpty() || Character.isDigit(rest.charAt(0)) ? rest : expanded(rest, at);
    if (text != null && !position.apply(text, nextPhysicalIndex)) {
      diagnostics.error(at, "#line needs a line number");
    }
  }

  private String firstName(String rest, String directive, Location at) {
    Matcher name = NAME.matcher(rest);
    if (!name.lookingAt()) {
      diagnostics.error(at, directive + " needs a macro name");
      return null;
    }
    return name.group();
  }

  private boolean condition(String expression, Location at) {
    try {
      return ConditionEvaluator.evaluate(expression, macros,
          (name, quoted, next) -> IncludePaths.directoryOf(searched(reading, readingDepth, quoted, next), name) != null,
          warning -> diagnostics.warning(at, warning));
    } catch (ConditionEvaluator.ConditionException e) {
      diagnostics.error(at, e.getMessage());
      return false;
    }
  }

  /** An {@code #include}, or an {@code #include_next}: see {@link IncludePaths#after}. */
  private void include(String rest, Location at, Path path, int depth, boolean next) {
    String expanded = rest.startsWith("\"") || rest.startsWith("<") ? rest : expanded(rest, at);
    if (expanded == null) {
      return;
    }
    boolean quoted = expanded.startsWith("\"");
    int close = quoted ? expanded.indexOf('"', 1) : expanded.indexOf('>', 1);
    if (!(quoted || expanded.startsWith("<")) || close < 0) {
      diagnostics.error(at, "#include needs \"file\" or <file>");
      return;
    }
    String name = expanded.substring(1, close);
    if (next && depth == 0) {
      diagnostics.warning(at, "#include_next in the primary source file (searched as #include)");
    }
    List<Path> searched = searched(path, depth, quoted, next);
    Path holder = IncludePaths.directoryOf(searched, name);
    Path found = holder == null ? null : IncludePaths.candidate(holder, name);
    if (found == null) {
      diagnostics.error(at, "cannot find include file '" + name + "' (searched: " + searched.stream()
          .map(dir -> display.apply(dir.toAbsolutePath().normalize())).collect(Collectors.joining(", "))
          + "; " + INCLUDE_DIRECTORY_HINT + ")");
      includeMissing = true;
      return;
    }
    if (depth >= MAX_INCLUDE_DEPTH) {
      diagnostics.error(at, "#include nested more than " + MAX_INCLUDE_DEPTH + " deep (does '" + name
          + "' include itself?)");
      return;
    }
    included.add(found.toAbsolutePath().normalize());
    if (once.contains(found.toAbsolutePath().normalize())) {
      return;
    }
    String source;
    try {
      source = SourceText.read(found);
    } catch (IOException e) {
      diagnostics.error(at, "cannot read include file '" + name + "': " + e.getMessage());
      return;
    }
    Path outer = foundIn;
    Path outerFile = reading;
    foundIn = holder;
    reading = found;
    readingDepth = depth + 1;
    try {
      process(found, source, depth + 1);
    } finally {
      foundIn = outer;
      reading = outerFile;
      readingDepth = depth;
    }
  }

  /**
   * The directories an {@code #include} ({@code next}: {@code #include_next}) in {@code path},
   * {@code depth} includes deep, searches; {@code #include_next} in the primary file searches as
   * {@code #include}.
   */
  private List<Path> searched(Path path, int depth, boolean quoted, boolean next) {
    return next && depth > 0 ? IncludePaths.after(foundIn, includeDirs)
        : IncludePaths.searched(path, quoted, includeDirs);
  }

  /** Notes what a line skipped only for one of rpcgen's symbols would have declared. */
  private void skippedLine(String bare, String file, int number, Conditional open) {
    if (open.skippedFor == null || TextLines.firstNonSpace(bare) == '%') {
      return;  // skipped for another reason, or C that declares nothing for Java
    }
    for (SkippedBranches.Declared name : SkippedBranches.declared(bare)) {
      skipped.add(new SkippedDefinition(name.name(),
          sourceLines.displayed(new Location(file, number, name.column())), open.branch,
          open.skippedFor));
    }
  }

  /** {@code text} with its macros replaced; null, and an error at {@code at}, past the limit. */
  private String expanded(String text, Location at) {
    try {
      return macros.expandText(text, new HashSet<>());
    } catch (Macros.ExpansionTooLarge e) {
      diagnostics.error(at, Macros.ExpansionTooLarge.message());
      return null;
    }
  }
}
