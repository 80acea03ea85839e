// The released jar is unpacked and compared: a renumbered enum value fails the build.
def log = new File(basedir, 'build.log').text
[
  // Built from the parent: positions are named from there, where the console can open them.
  "[ERROR] service/src/main/idl/catalog.idl:3:28: error: `MUSIC` of `Category` renumbered from 2 to 3: old peers reject 3 (old: service/target/onyx-baseline/catalog-schema-1.0/catalog.idl:3:28)",
  "Onyx: 1 breaking change against the baseline target/onyx-baseline/catalog-schema-1.0",
  "[INFO] BUILD FAILURE",
].each { expected -> assert log.contains(expected) : "missing from build.log: ${expected}\n${log}" }
assert new File(basedir, 'schema/target/catalog-schema-1.0.jar').exists()
return true
