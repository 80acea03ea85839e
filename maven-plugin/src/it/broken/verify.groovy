// The build failed, printed every diagnostic with file:line:col, and generated nothing.
def log = new File(basedir, 'build.log').text
[
  "[ERROR] src/main/idl/shapes.idl:5:3: error: unknown type 'Pointt'; did you mean 'Point'?\n  in struct Polygon (src/main/idl/shapes.idl:4:8)",
  "[ERROR] src/main/idl/shapes.idl:6:14: error: duplicate field 'x' in struct Polygon (first at src/main/idl/shapes.idl:6:7)",
  "[WARNING] src/main/idl/shapes.idl:9:1: warning: unknown annotation '@cached' is kept but has no effect here",
  "Onyx: 2 errors in the .idl files of src/main/idl, first src/main/idl/shapes.idl:5:3: unknown type 'Pointt'; did you mean 'Point'?; nothing was generated",
  "[INFO] BUILD FAILURE",
].each { expected -> assert log.contains(expected) : "missing from build.log: ${expected}\n${log}" }
// Sorted by position, errors and warnings together, as maven-plugin/README.md shows them.
def positions = ['shapes.idl:5:3: error', 'shapes.idl:6:14: error', 'shapes.idl:9:1: warning'].collect { log.indexOf(it) }
assert positions == positions.sort(false) : "diagnostics out of order: ${positions}\n${log}"
assert !new File(basedir, 'target/generated-sources/onyx').exists()
return true
