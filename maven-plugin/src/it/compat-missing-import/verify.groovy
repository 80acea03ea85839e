// An import not found: the error names the plugin's <includeDirectories>, as generate's does,
// not idlc's -I, which a pom has no place for.
def log = new File(basedir, 'build.log').text
[
  "[ERROR] src/main/idl/catalog.idl:2:8: error: cannot find import 'money.idl' (searched: src/main/idl; add its directory to the plugin's <includeDirectories>)",
  "[INFO] BUILD FAILURE",
].each { expected -> assert log.contains(expected) : "missing from build.log: ${expected}\n${log}" }
assert !log.contains("-I)") : "idlc's option in a Maven build's error:\n${log}"
return true
