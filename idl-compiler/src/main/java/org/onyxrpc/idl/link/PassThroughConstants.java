package org.onyxrpc.idl.link;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.onyxrpc.idl.source.Diagnostics;
import org.onyxrpc.idl.parser.DeclElement;
import org.onyxrpc.idl.parser.FileElement;

/**
 * Keeps the {@code %#define NAME value} constants that are constants: their value resolves to
 * an integer (names of other constants included) and their name is not declared otherwise.
 * The rest is C for rpcgen's output ({@code %#define bep_len BEP.BEP_len}) and is dropped
 * without a word, as rpcgen passes it on without reading it.
 */
final class PassThroughConstants {
  private PassThroughConstants() {}

  static List<FileElement> resolvable(FileLoader.Loaded loaded) {
    List<FileElement> files = withoutTakenNames(loaded);
    boolean dropped = true;
    while (dropped) {
      // A dropped constant may be what another one refers to: repeat until nothing changes.
      dropped = false;
      Scope scope = new Scope(files, loaded.imports(), Set.of(), new Diagnostics());
      List<FileElement> kept = new ArrayList<>();
      for (FileElement file : files) {
        List<DeclElement> declarations = new ArrayList<>();
        for (DeclElement decl : file.declarations()) {
          if (decl instanceof DeclElement.ConstDecl c && c.passThrough()) {
            // Null after any mistake, unknown names included (which the scope reports).
            if (new ConstantEvaluator(scope, new Diagnostics()).constant(c, file.file()) == null) {
              dropped = true;
              continue;
            }
          }
          declarations.add(decl);
        }
        kept.add(withDeclarations(file, declarations));
      }
      files = kept;
    }
    return files;
  }

  /**
   * Drops pass-through constants whose names their file sees declared, or an earlier one took
   * that it sees: a name that only a file it does not import declares is its own to define
   * ({@code idlc klm_prot.x nlm_prot.x}: {@code nlm_prot.x}'s {@code %#define LM_MAXSTRLEN 1024}
   * and {@code klm_prot.x}'s {@code const LM_MAXSTRLEN = 1024;}), as each C file has its own.
   */
  private static List<FileElement> withoutTakenNames(FileLoader.Loaded loaded) {
    List<FileElement> declared = new ArrayList<>();
    for (FileElement file : loaded.files()) {
      declared.add(withDeclarations(file, file.declarations().stream()
          .filter(decl -> !(decl instanceof DeclElement.ConstDecl c && c.passThrough())).toList()));
    }
    Scope scope = new Scope(declared, loaded.imports(), Set.of(), new Diagnostics());
    Map<String, String> taken = new HashMap<>();  // name: the file of the first one kept
    List<FileElement> files = new ArrayList<>();
    for (FileElement file : loaded.files()) {
      List<DeclElement> declarations = new ArrayList<>();
      for (DeclElement decl : file.declarations()) {
        boolean passThrough = decl instanceof DeclElement.ConstDecl c && c.passThrough();
        String first = taken.get(decl.name());
        if (!passThrough || !Set.of("TRUE", "FALSE").contains(decl.name())
            && !scope.sees(decl.name(), file.file())
            && (first == null || !scope.seesFile(file.file(), first))) {
          declarations.add(decl);
          if (passThrough) {
            taken.putIfAbsent(decl.name(), file.file());
          }
        }
      }
      files.add(withDeclarations(file, declarations));
    }
    return files;
  }

  private static FileElement withDeclarations(FileElement file, List<DeclElement> declarations) {
    return new FileElement(file.file(), file.packageName(), file.packageLocation(), file.imports(),
        List.copyOf(declarations));
  }
}
