// Built from the parent: every diagnostic names its file from there, as javac's absolute paths open.
def log = new File(basedir, 'build.log').text
[
  "[ERROR] api/src/main/idl/shapes.idl:5:3: error: unknown type 'Pointt'; did you mean 'Point'?\n  in struct Polygon (api/src/main/idl/shapes.idl:4:8)",
  "[ERROR] api/src/main/idl/shapes.idl:6:14: error: duplicate field 'x' in struct Polygon (first at api/src/main/idl/shapes.idl:6:7)",
  "[WARNING] api/src/main/idl/shapes.idl:9:1: warning: unknown annotation '@cached' is kept but has no effect here",
  "first api/src/main/idl/shapes.idl:5:3: unknown type 'Pointt'",
].each { expected -> assert log.contains(expected) : "missing from build.log: ${expected}\n${log}" }
return true
