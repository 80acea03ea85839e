package org.onyxrpc.idl.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.Token;
import org.onyxrpc.idl.source.Location;
import org.onyxrpc.idl.source.SourceFiles;
import org.onyxrpc.idl.preprocess.LineMap;
import org.onyxrpc.idl.parser.Elements.Annotation;
import org.onyxrpc.idl.parser.Elements.Case;
import org.onyxrpc.idl.parser.Elements.EnumValue;
import org.onyxrpc.idl.parser.Elements.Field;
import org.onyxrpc.idl.parser.Elements.Import;
import org.onyxrpc.idl.parser.Elements.NameRef;
import org.onyxrpc.idl.parser.Elements.Procedure;
import org.onyxrpc.idl.parser.Elements.Version;

/**
 * Turns a parse tree without syntax errors into syntax elements. Each kind of sub-rule has a
 * visitor that returns its element, so the builder keeps no stacks.
 */
final class SyntaxTreeBuilder {
  private final String file;
  private final CommonTokenStream tokens;
  private final LineMap lines;
  private final ExprBuilder exprs;
  private final TypeBuilder types;
  private final FieldBuilder fields;
  private final DefinitionBuilder definitions;
  /** Set for an rpcgen {@code .x} file, whose plain C comments are its docs. */
  private final CommentDocs plainDocs;

  SyntaxTreeBuilder(String file, CommonTokenStream tokens, LineMap lines) {
    this.file = file;
    this.tokens = tokens;
    this.lines = lines;
    this.exprs = new ExprBuilder(this);
    this.types = new TypeBuilder(this);
    this.fields = new FieldBuilder(this);
    this.definitions = new DefinitionBuilder(this);
    this.plainDocs = SourceFiles.isRpcgen(file) ? new CommentDocs(tokens, lines) : null;
  }

  List<Import> imports(IdlParser.FileContext context) {
    List<Import> imports = new ArrayList<>();
    for (IdlParser.ImportDeclContext decl : context.importDecl()) {
      if (decl.path != null && decl.path.getText().length() >= 2) {
        String quoted = decl.path.getText();
        imports.add(new Import(location(decl.path), quoted.substring(1, quoted.length() - 1)));
      }
    }
    return imports;
  }

  FileElement file(IdlParser.FileContext context, List<DeclElement> passThrough) {
    String packageName = context.packageDecl() == null
        ? ""
        : context.packageDecl().qualifiedName().ident().stream()
            .map(ParserRuleContext::getText)
            .collect(Collectors.joining("."));
    List<DeclElement> declarations = new ArrayList<>();
    addDefinitions(context, declarations);
    declarations.addAll(passThrough);
    Location packageLocation = context.packageDecl() == null ? null
        : location(context.packageDecl().qualifiedName());
    return new FileElement(file, packageName, packageLocation, imports(context), declarations);
  }

  /** The definitions of the file or a namespace, those of nested namespaces in their place. */
  private void addDefinitions(ParserRuleContext scope, List<DeclElement> declarations) {
    for (ParseTree child : scope.children == null ? List.<ParseTree>of() : scope.children) {
      if (child instanceof IdlParser.DefinitionContext definition) {
        declarations.add(definitions.visit(definition.definitionBody()));
      } else if (child instanceof IdlParser.NamespaceDefContext namespace) {
        addDefinitions(namespace, declarations);
      }
    }
  }

  Location location(Token token) {
    return lines.locate(token.getLine(), token.getCharPositionInLine() + 1);
  }

  Location location(ParserRuleContext context) {
    return location(context.getStart());
  }

  ExprElement expr(IdlParser.ExprContext context) {
    return context == null ? null : exprs.visit(context);
  }

  TypeElement type(ParserRuleContext typeSpecifierOrRef) {
    return types.visit(typeSpecifierOrRef);
  }

  Field field(IdlParser.DeclarationContext declaration, ParserRuleContext owner,
      List<IdlParser.AnnotationContext> annotations) {
    Field bare = fields.visit(declaration);
    return new Field(bare.location(), bare.name(), doc(owner), annotations(annotations), bare.type());
  }

  Field armField(IdlParser.ArmDeclarationContext arm) {
    if (arm.declaration() == null) {
      return new Field(location(arm), null, doc(arm), List.of(), null);
    }
    return field(arm.declaration(), arm, List.of());
  }

  List<Field> members(List<IdlParser.MemberContext> members) {
    return members.stream().map(m -> field(m.declaration(), m, m.annotation())).toList();
  }

  List<Annotation> annotations(List<IdlParser.AnnotationContext> contexts) {
    List<Annotation> result = new ArrayList<>();
    for (IdlParser.AnnotationContext a : contexts) {
      String text = a.text == null ? null : unquote(a.text.getText());
      result.add(new Annotation(location(a), a.name.getText(), expr(a.value), text));
    }
    return List.copyOf(result);
  }

  EnumValue enumValue(IdlParser.EnumValueContext context) {
    return new EnumValue(location(context.name), context.name.getText(), doc(context),
        expr(context.value));
  }

  Case unionCase(IdlParser.CaseArmContext context) {
    List<ExprElement> labels = context.caseLabel().stream().map(l -> expr(l.value)).toList();
    return new Case(location(context), labels, armField(context.armDeclaration()));
  }

  Version version(IdlParser.VersionDefContext context) {
    List<Procedure> procedures = context.procedure().stream().map(this::procedure).toList();
    String name = context.name == null ? null : context.name.getText();
    return new Version(location(context.VERSION().getSymbol()), name, doc(context),
        annotations(context.annotation()), expr(context.number), procedures);
  }

  private Procedure procedure(IdlParser.ProcedureContext context) {
    TypeElement result = context.result.VOID() != null ? null : type(context.result.typeRef());
    List<Field> parameters = new ArrayList<>();
    IdlParser.ParameterListContext list = context.parameterList();
    if (list != null && list.VOID() == null) {
      IdlParser.TypeSpecifierContext loneStar = LoneStarArgument.of(context, lines);
      for (IdlParser.ParameterContext parameter : list.parameter()) {
        if (loneStar != null && (parameter.declaration() != null || parameter.argName != null)) {
          // 'T *a' or 'T a *' alone in a .x file: T, as rpcgen's C codes it.
          IdlParser.IdentContext name = parameter.argName != null ? argumentName(parameter)
              : ((IdlParser.OptionalDeclContext) parameter.declaration()).name;
          parameters.add(new Field(location(name), name.getText(), doc(parameter), List.of(),
              type(loneStar)));
        } else if (parameter.declaration() != null) {
          parameters.add(field(parameter.declaration(), parameter, List.of()));
        } else if (parameter.argName != null) {
          // rpcgen's 'T a *', as 'T *a'.
          IdlParser.IdentContext name = argumentName(parameter);
          parameters.add(new Field(location(name), name.getText(),
              doc(parameter), List.of(), new TypeElement.Optional(location(parameter),
                  type(parameter.typeSpecifier()))));
        } else if (parameter.name != null) {
          // 'opaque one' is reported by AcceptedSlips; its type here only keeps the tree whole.
          TypeElement type = parameter.OPAQUE() != null
              ? new TypeElement.Opaque(location(parameter), null, false)
              : new TypeElement.StringType(location(parameter), null);
          parameters.add(new Field(location(parameter.name), parameter.name.getText(), null,
              List.of(), type));
        } else {
          parameters.add(new Field(location(parameter), null, null, List.of(),
              type(loneStar != null ? loneStar : parameter.typeRef())));
        }
      }
    }
    List<NameRef> throwsList = new ArrayList<>();
    // ident() holds the procedure name first, then the names after 'throws'.
    List<IdlParser.IdentContext> names = context.ident();
    for (int i = 1; i < names.size(); i++) {
      throwsList.add(new NameRef(location(names.get(i)), names.get(i).getText()));
    }
    ProcedureDoc doc = (plainDocs == null ? ProcedureDoc.of(docText(context))
        : ProcedureDoc.of(docText(context), tag -> fitsMethod(tag, result, throwsList)))
        .map(SyntaxTreeBuilder::javadocSafe);
    return new Procedure(location(context.name), context.name.getText(), doc.text(),
        doc.returns(), doc.throwsDocs(), annotations(context.annotation()), context.ONEWAY() != null, result,
        List.copyOf(parameters), List.copyOf(throwsList), expr(context.number));
  }

  /** The name of rpcgen's {@code T a *} argument: in {@code T a * b}, as rpcgen reads it, b. */
  private static IdlParser.IdentContext argumentName(IdlParser.ParameterContext parameter) {
    return parameter.rename != null ? parameter.rename : parameter.argName;
  }

  /**
   * Whether a C comment's tag line fits the generated method: {@code @return} where there is a
   * result, {@code @throws X} where the procedure throws {@code X}.
   */
  private static boolean fitsMethod(String tag, TypeElement result, List<NameRef> throwsList) {
    if (tag.startsWith("@return")) {
      return result != null;
    }
    String[] words = tag.split("\\s+");
    String name = words.length < 2 ? "" : words[1].substring(words[1].lastIndexOf('.') + 1);
    return throwsList.stream().anyMatch(thrown -> thrown.name().equals(name));
  }

  /** The doc comment that ends right before {@code context}, stripped of its delimiters. */
  String doc(ParserRuleContext context) {
    String text = docText(context);
    return text == null ? null : javadocSafe(text);
  }

  /** As {@link #doc}, not yet escaped for Javadoc. */
  private String docText(ParserRuleContext context) {
    ParserRuleContext owner = context;
    if (owner instanceof IdlParser.DefinitionBodyContext
        && owner.getParent() instanceof IdlParser.DefinitionContext definition) {
      owner = definition;
    }
    if (plainDocs != null) {
      // An arm's ';' belongs to its case: a comment after it on its line is the arm's.
      ParserRuleContext end = context instanceof IdlParser.ArmDeclarationContext
          && context.getParent() != null ? (ParserRuleContext) context.getParent() : owner;
      return plainDocs.of(owner, end);
    }
    List<Token> hidden = tokens.getHiddenTokensToLeft(owner.getStart().getTokenIndex());
    if (hidden == null || hidden.isEmpty()) {
      return null;
    }
    String raw = hidden.get(hidden.size() - 1).getText();
    String body = raw.substring(3, raw.length() - 2);
    List<String> lines = new ArrayList<>();
    for (String line : body.split("\r?\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("*")) {
        trimmed = trimmed.substring(1).strip();
      }
      lines.add(trimmed);
    }
    String text = String.join("\n", lines).strip();
    return text.isEmpty() ? null : text;
  }

  /**
   * IDL docs are plain text: {@code "a < b"} or {@code "x & y"} must not read as HTML in the Javadoc, nor an
   * '@' that starts a line (libvirt's "@generate: none", "@acl: ...") or follows '{' as a tag,
   * nor a backslash before 'u' (a Windows path's users folder) as a unicode escape, which javac
   * reads even in comments: an illegal one fails the compile, and the escape of '*' before '/'
   * would end the comment.
   */
  private static String javadocSafe(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("*/", "*&#47;").replace("{@", "{&#64;").replaceAll("(?m)^@", "&#64;")
        .replace("\\u", "&#92;u");
  }

  static String unquote(String quoted) {
    return quoted.substring(1, quoted.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
  }
}
