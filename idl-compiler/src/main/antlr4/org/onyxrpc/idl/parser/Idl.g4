/*
 * Onyx IDL: a superset of the RPC language of RFC 5531 section 12 (what rpcgen reads).
 * No embedded actions: SyntaxTreeBuilder turns the parse tree into syntax elements.
 * Parser rules first, lexer rules after.
 */
grammar Idl;

file
  : packageDecl? importDecl* (definition | namespaceDef | pragmaDef)* EOF
  ;

/* xdrpp's 'namespace stellar { ... };' (Stellar's XDR): its definitions are as if written outside. */
namespaceDef
  : NAMESPACE name=ident '{' (definition | namespaceDef | pragmaDef)* '}' ';'?
  ;

/*
 * The Linux kernel's xdrgen: 'pragma header nfs4;', 'pragma public name;', 'pragma big_endian
 * name;', 'pragma exclude name;' steer only the C it writes; they are read and left out.
 */
pragmaDef
  : PRAGMA directive=ident ident* ';'
  ;

packageDecl
  : PACKAGE qualifiedName ';'
  ;

importDecl
  : IMPORT path=STRING_LITERAL ';'
  ;

qualifiedName
  : ident ('.' ident)*
  ;

/* A missing ';' is reported by the builder (rpcgen requires it after every RPCL definition). */
definition
  : annotation* definitionBody semi=';'?
  ;

definitionBody
  : CONST name=ident '=' (value=expr | text=STRING_LITERAL)                  # constDef
  | ENUM name=ident '{' enumValue (',' enumValue)* ','? '}'                  # enumDef
  | STRUCT name=ident '{' member* '}'                                        # structDef
  | EXCEPTION name=ident '{' member* '}'                                     # exceptionDef
  | UNION name=ident SWITCH '(' discriminant=declaration ')'
      '{' (caseArm | defaultArm)+ '}'                                        # unionDef
  | TYPEDEF declaration                                                      # typedefDef
  | kind=(PROGRAM | SERVICE) name=ident '{' versionDef* '}' ('=' number=expr)? # serviceDef
  ;

enumValue
  : annotation* name=ident ('=' value=expr)?
  ;

/* A missing ';' is reported by the builder, at the end of the declaration it should follow. */
member
  : annotation* declaration semi=';'?
  ;

caseArm
  : caseLabel+ armDeclaration semi=';'?
  ;

caseLabel
  : CASE value=expr ':'
  ;

/*
 * More than one is reported by the builder ("a union has one default arm"). It may come first,
 * among the cases or alone, as xdrpp and goxdr read it (SPEEDEX's transaction.x has a union of
 * only a default arm); RFC 4506 and rpcgen ask for a case first and the default last, but the
 * arms mean the same in any order.
 */
defaultArm
  : DEFAULT ':' armDeclaration semi=';'?
  ;

armDeclaration
  : VOID
  | declaration
  ;

declaration
  : typeSpecifier name=ident                          # plainDecl
  | typeSpecifier name=ident '[' size=expr ']'        # fixedArrayDecl
  | typeSpecifier name=ident '<' size=expr? '>'       # varArrayDecl
  | OPAQUE name=ident '[' size=expr ']'               # fixedOpaqueDecl
  | OPAQUE name=ident '<' size=expr? '>'              # varOpaqueDecl
  | STRING name=ident '<' size=expr? '>'              # stringDecl
  | typeSpecifier '*' name=ident                      # optionalDecl
  ;

typeRef
  : STRING ('<' size=expr? '>')?                      # stringRef
  | OPAQUE '[' size=expr ']'                          # fixedOpaqueRef
  | OPAQUE ('<' size=expr? '>')?                      # varOpaqueRef
  | typeSpecifier '*'                                 # optionalRef
  | typeSpecifier '[' size=expr ']'                   # fixedArrayRef
  | typeSpecifier '<' size=expr? '>'                  # varArrayRef
  | typeSpecifier                                     # plainRef
  ;

typeSpecifier
  : UNSIGNED? INT                                     # intType
  | UNSIGNED? LONG INT?                               # longType     // rpcgen: 'long int'
  | UNSIGNED? HYPER INT?                              # hyperType
  | UNSIGNED? CHAR                                    # charType
  | UNSIGNED? SHORT INT?                              # shortType
  | UNSIGNED                                          # unsignedType
  | FLOAT                                             # floatType
  | DOUBLE                                            # doubleType
  | QUADRUPLE                                         # quadrupleType
  | BOOL                                              # boolType
  | ENUM '{' enumValue (',' enumValue)* ','? '}'      # inlineEnumType
  | STRUCT '{' member+ '}'                            # inlineStructType
  | UNION SWITCH '(' discriminant=declaration ')'
      '{' (caseArm | defaultArm)+ '}'                 # inlineUnionType
  | (STRUCT | ENUM | UNION)? name=ident               # namedType
  ;

versionDef
  : annotation* VERSION name=ident '{' procedure* '}' '=' number=expr semi=';'?
  | annotation* VERSION number=expr '{' procedure* '}' semi=';'?
  ;

/* misplacedBound ("Book search(Query q)<MAX>") is accepted only to be reported in plain words. */
/*
 * A bound after the name ('hyper ids<>()', 'opaque digest[16](...)', as a field is declared) or
 * after the parameters is accepted, so that SyntaxErrors says where it goes and the parser keeps
 * its place in the rest of the service.
 */
procedure
  : annotation* ONEWAY? result=returnType name=ident misplacedNameBound=arraySuffix?
      '(' parameterList? ')' misplacedBound=bound?
      (THROWS ident (',' ident)*)? ('=' number=expr)? semi=';'?
  ;

bound
  : '<' expr? '>'
  ;

arraySuffix
  : bound
  | '[' expr ']'
  ;

returnType
  : VOID
  | typeRef
  ;

parameterList
  : VOID
  | parameter (',' parameter)*
  ;

/*
 * rpcgen -N reads 'string one' as an unbounded string (Remote Tea's demo.x: cat3(string one, ...)).
 * 'opaque one' has no such meaning (rpcgen: "opaque -- illegal argument type"): it is accepted
 * only to be reported in plain words, as a bare 'opaque' typeRef is.
 * rpcgen reads an argument's name before its '*' too ('void F(s a *)', get_prog_declaration: the
 * type, a name, then a '*', then another name that replaces the first): it means 'T *a', as its
 * C codes it; 's a * b' is 's *b' (TwoNamedArgument warns of it).
 */
parameter
  : declaration
  | typeSpecifier argName=ident '*' rename=ident?
  | STRING name=ident
  | OPAQUE name=ident
  | typeRef
  ;

/* The value of a "%#define NAME value" pass-through line, kept as a constant when it is one. */
passThroughValue
  : expr EOF
  ;

annotation
  : '@' name=annotationName ('(' (value=expr | text=STRING_LITERAL) ')')?
  ;

annotationName
  : ident
  | PROGRAM
  | VERSION
  ;

expr
  : '(' expr ')'                                      # parenExpr
  | op=('-' | '+' | '~') expr                         # unaryExpr
  | left=expr op=('*' | '/') right=expr               # binaryExpr
  | left=expr op=('+' | '-') right=expr               # binaryExpr
  | left=expr op=('<<' | '>>') right=expr             # binaryExpr
  | left=expr op='&' right=expr                       # binaryExpr
  | left=expr op='^' right=expr                       # binaryExpr
  | left=expr op='|' right=expr                       # binaryExpr
  | NUMBER                                            # numberExpr
  | CHAR_LITERAL                                      # charExpr      // rpcgen: case 'a':
  | ident                                             # refExpr
  ;

/*
 * Words that are keywords only where Onyx adds syntax, so classic .x files may use them as names;
 * and RFC 4506's 'quadruple', which rpcgen does not know (to rpcgen it is a name like any other).
 */
ident
  : IDENTIFIER
  | QUADRUPLE
  | PACKAGE
  | IMPORT
  | SERVICE
  | EXCEPTION
  | ONEWAY
  | THROWS
  | NAMESPACE
  | PRAGMA
  ;

BOOL      : 'bool';
CASE      : 'case';
CHAR      : 'char';
CONST     : 'const';
DEFAULT   : 'default';
DOUBLE    : 'double';
ENUM      : 'enum';
FLOAT     : 'float';
HYPER     : 'hyper';
INT       : 'int';
LONG      : 'long';
OPAQUE    : 'opaque';
PROGRAM   : 'program';
QUADRUPLE : 'quadruple';
SHORT     : 'short';
STRING    : 'string';
STRUCT    : 'struct';
SWITCH    : 'switch';
TYPEDEF   : 'typedef';
UNION     : 'union';
UNSIGNED  : 'unsigned';
VERSION   : 'version';
VOID      : 'void';

PACKAGE   : 'package';
IMPORT    : 'import';
SERVICE   : 'service';
EXCEPTION : 'exception';
ONEWAY    : 'oneway';
THROWS    : 'throws';
NAMESPACE : 'namespace';
PRAGMA    : 'pragma';

IDENTIFIER : [a-zA-Z_] [a-zA-Z0-9_]*;

NUMBER
  : '0' [xX] [0-9a-fA-F]+
  | [0-9]+
  ;

STRING_LITERAL : '"' (~["\\\r\n] | '\\' .)* '"';
/*
 * rpcgen's character constant: one ASCII character (one byte, as rpcgen reads it, no escapes)
 * between quotes, a case label of a union on a char ("case 'a':"), worth its code.
 */
CHAR_LITERAL : '\'' [\t\u0020-\u0026\u0028-\u005B\u005D-\u007E] '\'';
/* Any other quoted text ('\n', 'ab', ''), which rpcgen rejects too: reported in plain words. */
BAD_CHAR_LITERAL : '\'' ~['\r\n]*? '\'';

/* Doc comments stay on the hidden channel, where the builder finds the one before a definition. */
DOC_COMMENT   : '/**' ~'/' .*? '*/' -> channel(HIDDEN);
BLOCK_COMMENT : '/*' .*? '*/' -> skip;
/* A comment the file ends in: a token no rule takes, so that SyntaxErrors says so ('/' alone would be read). */
UNCLOSED_COMMENT : '/*' (~'*' | '*'+ ~[*/])* '*'* EOF;
LINE_COMMENT  : '//' ~[\r\n]* -> skip;
/* rpcgen pass-through lines ("%#include <x.h>") carry C for its output; they mean nothing here. */
PASSTHROUGH   : '%' ~[\r\n]* -> skip;
/* Vertical tab (0x0B) and form feed too: cpp, which rpcgen runs first, reads them as spaces. */
WS            : [ \t\r\n\u000B\f]+ -> skip;
