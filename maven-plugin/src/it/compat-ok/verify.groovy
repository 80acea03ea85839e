// A new procedure is compatible: logged with verbose, and the build passes. The include
// directory that is not one is warned of, as generate and idlc -I warn.
def log = new File(basedir, 'build.log').text
[
  "[INFO] src/main/idl/catalog.idl:9:10: info: new procedure `restock` (2) in version 1 of `Catalog`",
  "[INFO] Onyx: compatible with the baseline baseline (0 source warnings, 1 compatible changes)",
  "[WARNING] Onyx: <includeDirectory> src/main/shared: no such directory",
  "[INFO] BUILD SUCCESS",
].each { expected -> assert log.contains(expected) : "missing from build.log: ${expected}\n${log}" }
return true
