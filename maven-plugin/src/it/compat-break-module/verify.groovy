// Built from the parent: both positions are named from there, as javac's absolute paths open.
def log = new File(basedir, 'build.log').text
[
  "[ERROR] schema/src/main/idl/catalog.idl:3:37: error: field `price` inserted before `stock`: old readers will read `price` as `stock` (old: schema/baseline/catalog.idl:3:8)",
  "Onyx: 1 breaking change against the baseline baseline, first schema/src/main/idl/catalog.idl:3:37",
].each { expected -> assert log.contains(expected) : "missing from build.log: ${expected}\n${log}" }
return true
