package org.onyxrpc.testing;

import com.sun.source.doctree.DocCommentTree;
import com.sun.source.doctree.DocTree;
import com.sun.source.doctree.ParamTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Two warnings of {@code javadoc -Xdoclint:all} that JDK 18 and later give and JDK 17's does not:
 * a record component without its {@code @param}, and a documented class with no constructor
 * written (javadoc documents the default one, which has no comment). {@link JavadocCheck} runs the
 * JDK's javadoc, so on 17, where the build runs, it would pass sources that fail on 21 or 25; this
 * finds them from the syntax trees alone, the same on every JDK. Only what javadoc documents
 * counts: public and protected types, members of interfaces, inside such types all the way out,
 * outside {@code internal} packages.
 */
public final class NewerJavadocWarnings {
  private NewerJavadocWarnings() {}

  /**
   * The warnings in {@code files}, as {@code WARNING file:line: message}.
   *
   * @param files the Java sources of a module
   * @return the warnings, none when clean
   * @throws IOException if a file cannot be read
   */
  public static List<String> of(List<File> files) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> problems = new ArrayList<>();
    try (StandardJavaFileManager manager = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
      JavacTask task = (JavacTask) javac.getTask(null, manager, diagnostic -> { }, List.of("-proc:none"), null,
          manager.getJavaFileObjectsFromFiles(files));
      DocTrees trees = DocTrees.instance(task);
      for (CompilationUnitTree unit : task.parse()) {
        if (unit.getSourceFile().getName().contains("/internal/")) {
          continue;
        }
        new TreePathScanner<Void, Void>() {
          @Override
          public Void visitClass(ClassTree type, Void unused) {
            TreePath path = getCurrentPath();
            if (documented(path)) {
              check(type, path, unit, trees, problems);
            }
            return super.visitClass(type, unused);
          }
        }.scan(unit, null);
      }
    }
    return problems;
  }

  private static void check(ClassTree type, TreePath path, CompilationUnitTree unit, DocTrees trees, List<String> problems) {
    String where = "WARNING " + unit.getSourceFile().getName() + ":"
        + unit.getLineMap().getLineNumber(trees.getSourcePositions().getStartPosition(unit, type)) + ": ";
    if (type.getKind() == Tree.Kind.CLASS
        && type.getMembers().stream().noneMatch(m -> m instanceof MethodTree method && method.getName().contentEquals("<init>"))) {
      problems.add(where + "use of default constructor, which does not provide a comment");
    }
    DocCommentTree doc = trees.getDocCommentTree(path);
    if (type.getKind() != Tree.Kind.RECORD || doc == null) {
      return; // no comment at all: JavadocCheck reports that on every JDK
    }
    Set<String> documented = new HashSet<>();
    for (DocTree tag : doc.getBlockTags()) {
      if (tag instanceof ParamTree param && !param.isTypeParameter()) {
        documented.add(param.getName().getName().toString());
      }
    }
    for (Tree member : type.getMembers()) {
      // A record's body declares no instance field: every non-static field is a component.
      if (member instanceof VariableTree field && !field.getModifiers().getFlags().contains(Modifier.STATIC)
          && !documented.contains(field.getName().toString())) {
        problems.add(where + "no @param for " + field.getName());
      }
    }
  }

  /** Whether javadoc shows the type: it and every type around it public, protected or an interface's member. */
  private static boolean documented(TreePath path) {
    for (TreePath at = path; at != null && at.getLeaf() instanceof ClassTree type; at = at.getParentPath()) {
      Set<Modifier> flags = type.getModifiers().getFlags();
      Tree outer = at.getParentPath().getLeaf();
      boolean interfaceMember = outer instanceof ClassTree o
          && (o.getKind() == Tree.Kind.INTERFACE || o.getKind() == Tree.Kind.ANNOTATION_TYPE);
      if (!(flags.contains(Modifier.PUBLIC) || flags.contains(Modifier.PROTECTED) || interfaceMember)) {
        return false;
      }
      if (outer instanceof CompilationUnitTree) {
        return true;
      }
      if (!(outer instanceof ClassTree)) {
        return false; // local or anonymous
      }
    }
    return false;
  }
}
