// A field inserted before another breaks old readers: the build fails and says why, with both positions.
def log = new File(basedir, 'build.log').text
[
  "[ERROR] src/main/idl/catalog.idl:3:37: error: field `price` inserted before `stock`: old readers will read `price` as `stock` (old: baseline/catalog.idl:3:8)",
  "Onyx: 1 breaking change against the baseline baseline, first src/main/idl/catalog.idl:3:37",
  "[ERROR] To make such a change while peers built from the old schema run, leave each existing version",
  "[INFO] BUILD FAILURE",
].each { expected -> assert log.contains(expected) : "missing from build.log: ${expected}\n${log}" }
return true
